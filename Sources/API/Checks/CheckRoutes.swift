import Checks
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store

/// The MTA-STS check over HTTP: `POST /v1/checks` for any domain (anonymous callers too, rate limited), and the
/// worker's stored reports of a hosted domain, `GET /v1/domains/{name}/checks` and `…/checks/latest`.
enum CheckRoutes {
    /// Most reports one history page holds.
    static let maximumPageSize = 50

    static func register(on router: inout Router) {
        router.post("/v1/checks", audit: .exempt(reason: "runs a read-only check; changes nothing a tenant owns")) {
            request,
            context in
            try run(request, context)
        }
        router.get("/v1/domains/{name}/checks") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            var limit = 20
            if let text = context.query["limit"] {
                guard let value = Int(text), (1...maximumPageSize).contains(value) else {
                    throw APIError.invalid("limit", rule: "range", "limit must be a whole number 1…\(maximumPageSize).")
                }
                limit = value
            }
            var before: Int64?
            if let text = context.query["before"] {
                guard let value = Int64(text), value > 0 else {
                    throw APIError.invalid("before", rule: "range", "before is the id of a report (a positive number).")
                }
                before = value
            }
            let reports = try context.store.domainChecks.reports(domainID: domain.id, limit: limit + 1, before: before)
            let page = reports.prefix(limit)
            let next: JSONValue = reports.count > limit ? .int(Int(page.last?.id ?? 0)) : .null
            return JSONResponse(
                .ok,
                ["checks": .array(try page.map { try parse($0) }), "next_before": next]
            )
        }
        router.get("/v1/domains/{name}/checks/latest") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            guard let latest = try context.store.domainChecks.reports(domainID: domain.id, limit: 1).first else {
                throw APIError(
                    .notFound,
                    "no-check-yet",
                    title: "Not checked yet",
                    detail: "The worker has not checked \(domain.name) yet; it does within minutes of verification."
                )
            }
            return JSONResponse(.ok, try parse(latest))
        }
    }

    /// A stored report back as JSON.
    private static func parse(_ report: StoredCheckReport) throws -> JSONValue {
        try JSONParser.parse(Array(report.json.utf8))
    }

    /// `POST /v1/checks {"domain": …}`: checks any domain now; for a domain the caller hosts here, also against
    /// what the platform serves.
    private static func run(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let caller = request.head.fields[.authorization] == nil ? nil : try context.authenticate(request)
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(body: request.body, allowed: ["domain"])
        let text = fields.string("domain", maxLength: 253)
        var domain: DomainName?
        if let text {
            do {
                domain = try DomainName(parsing: text)
            } catch {
                fields.fail("domain", rule: DomainRoutes.rule(for: error.reason), error.message)
            }
        }
        try fields.finish()
        guard let domain else { throw APIError.validation(fields.errors) }
        let service = context.environment.checks
        let (bucket, limit, scope) =
            caller.map { ("checks-account:\($0.account.id)", service.accountPerHour, "for this account") }
            ?? ("checks-address:" + context.clientKey(request), service.anonymousPerHour, "from this address")
        if let wait = try context.store.rateLimits.hit(bucket: bucket, at: context.now, window: 3600, limit: limit) {
            throw APIError(
                .tooManyRequests,
                "too-many-checks",
                title: "Too many checks",
                detail: "At most \(limit) checks an hour may run \(scope); try again in \(wait) seconds.",
                headers: [.retryAfter: String(wait)]
            )
        }
        let hosted = try caller.flatMap { try expectation(for: domain, account: $0.account.id, context) }
        guard let report = service.withSlot({ service.engine.check(domain, hosted: hosted, now: context.now) }) else {
            throw APIError(
                .tooManyRequests,
                "checks-busy",
                title: "Checks busy",
                detail: "The platform is running as many checks as it runs at once; try again in a few seconds.",
                headers: [.retryAfter: "5"]
            )
        }
        return JSONResponse(.ok, report.json)
    }

    /// What the platform serves for `domain` when `account` hosts it and it is served.
    private static func expectation(
        for domain: DomainName,
        account: UUID,
        _ context: RequestContext
    ) throws -> HostedDomainExpectation? {
        guard let record = try context.store.domains.find(accountID: account, name: domain.name),
            record.status == .verified,
            let policy = try context.store.policies.current(domainID: record.id)
        else { return nil }
        let zone = context.environment.dnsZone
        return HostedDomainExpectation(
            policyID: policy.policyID,
            policyText: policy.text,
            testingSince: policy.mode == .testing ? try context.store.policies.testingSince(domainID: record.id) : nil,
            stsDelegationTarget: zone.map { DelegatedNames.sts(label: record.dnsLabel, zone: $0) },
            tlsrptDelegationTarget: zone.map { DelegatedNames.tlsrpt(label: record.dnsLabel, zone: $0) }
        )
    }
}

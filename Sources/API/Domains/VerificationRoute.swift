import DNS
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store

/// `POST /v1/domains/{name}/verify`: proves ownership by the TXT record at `_mtasts-verify.<domain>`.
enum VerificationRoute {
    /// `max_age` of the policy published on verification.
    static let initialMaxAge = 86_400

    static func register(on router: inout Router) {
        router.post("/v1/domains/{name}/verify", audit: .recorded("domain.verify", target: .parameter("name"))) {
            request,
            context in try verify(request, context)
        }
    }

    /// The first policy: `testing` with every live MX host as an exact pattern, or `none` when the domain has
    /// no usable MX (none, a null MX, or the lookup failed), since `testing` needs at least one pattern.
    static func initialPolicy(for domain: String, _ live: LiveLookup) throws -> (Policy, JSONValue) {
        let (hosts, outcome) = live.mx(domain)
        let patterns = hosts.compactMap { try? MXPattern(parsing: $0.host) }
        var unique: [MXPattern] = []
        for pattern in patterns where !unique.contains(pattern) { unique.append(pattern) }
        let policy =
            unique.isEmpty
            ? try Policy(mode: .none, mx: [], maxAge: initialMaxAge)
            : try Policy(mode: .testing, mx: unique, maxAge: initialMaxAge)
        return (policy, outcome.json)
    }

    private static func verify(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let (caller, domain) = try DomainRoutes.owned(request, context)
        switch domain.status {
        case .verified:
            let policy = try context.store.policies.current(domainID: domain.id)
            return JSONResponse(
                .ok,
                [
                    "status": .string(domain.status.rawValue),
                    "domain": .domain(try DomainView.load(domain, context: context)),
                    "policy": policy.map(JSONValue.policy) ?? .null,
                ]
            )
        case .offboarding, .deleted:
            throw APIError(
                .conflict,
                "domain-offboarding",
                title: "Domain is being offboarded",
                detail: "\(domain.name) is being offboarded and cannot be verified again until it is removed."
            )
        case .pendingVerification:
            break
        }
        return try context.withLiveLookups(for: caller) { live in try verify(domain, live, context) }
    }

    /// Looks for the ownership record (and the MX hosts for the first policy, in parallel) and marks the domain
    /// verified when the record is there.
    private static func verify(
        _ domain: DomainRecord,
        _ live: LiveLookup,
        _ context: RequestContext
    ) throws
        -> JSONResponse
    {
        let recordName = DomainRoutes.verificationRecordName(domain.name)
        live.prefetch([.init(name: recordName, type: .txt), .init(name: domain.name, type: .mx)])
        let outcome = live.lookup(recordName, type: .txt)
        let now = context.now
        let found: [JSONMember] = [
            JSONMember(key: "expected", value: .verification(domain)), JSONMember(key: "found", value: outcome.json),
        ]
        guard outcome.values.contains(domain.verificationToken) else {
            let reason: String
            switch outcome.result {
            case "nxdomain", "no_data": reason = "no TXT record was found: \(outcome.detail)"
            case "answer":
                reason =
                    "the TXT record(s) at \(recordName) hold other values: "
                    + outcome.values.map { "\"\($0.prefix(100))\"" }.joined(separator: ", ")
            default: reason = "the lookup failed: \(outcome.detail)"
            }
            try context.store.domains.recordCheck(domainID: domain.id, at: now, result: "failed: \(outcome.result)")
            throw APIError(
                .unprocessableContent,
                "verification-failed",
                title: "Verification record not found",
                detail: "Publish TXT \"\(domain.verificationToken)\" at \(recordName); \(reason)",
                extra: found
            )
        }
        let (policy, mxLookup) = try initialPolicy(for: domain.name, live)
        do {
            let (verified, published) = try context.store.domains.markVerified(
                domainID: domain.id,
                initialPolicy: policy,
                at: now
            )
            return JSONResponse(
                .ok,
                [
                    "status": .string(verified.status.rawValue),
                    "domain": .domain(try DomainView.load(verified, context: context)),
                    "policy": published.map(JSONValue.policy) ?? .null, "mx_lookup": mxLookup,
                ]
            )
        } catch let error as StoreError where error.code == .verifiedByAnotherAccount {
            try context.store.domains.recordCheck(domainID: domain.id, at: now, result: "failed: owned elsewhere")
            throw APIError(
                .conflict,
                "domain-verified-elsewhere",
                title: "Domain verified by another account",
                detail:
                    "\(domain.name) is verified by another account; it can be claimed once that account removes it.",
                extra: found
            )
        }
    }
}

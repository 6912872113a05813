import Crypto
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store

/// `POST /v1/domains`, `GET /v1/domains`, `GET /v1/domains/{name}`, `DELETE /v1/domains/{name}`.
enum DomainRoutes {
    /// Largest page of `GET /v1/domains`.
    static let maximumPageSize = 100

    static func verificationRecordName(_ domain: String) -> String { DomainRecord.verificationLabel + "." + domain }

    static func register(on router: inout Router) {
        router.post("/v1/domains", audit: .recorded("domain.create", target: .responseField("name"))) {
            request,
            context in try create(request, context)
        }
        router.get("/v1/domains") { request, context in try list(request, context) }
        router.get("/v1/domains/{name}") { request, context in
            let (_, domain) = try owned(request, context)
            return JSONResponse(.ok, .domain(try DomainView.load(domain, context: context)))
        }
        router.delete("/v1/domains/{name}", audit: .recorded("domain.delete", target: .parameter("name"))) {
            request,
            context in try delete(request, context)
        }
    }

    /// The caller and their domain named in the path; 404 for names that are invalid, unknown or someone else's.
    static func owned(_ request: HTTPRequest, _ context: RequestContext) throws -> (Authenticated, DomainRecord) {
        let caller = try context.authenticate(request)
        guard let name = try? DomainName(parsing: context.parameter("name")),
            let domain = try context.store.domains.find(accountID: caller.account.id, name: name.name)
        else { throw APIError.notFound("The domain") }
        // The stored name (lower-case A-labels), whatever spelling the path used.
        context.audit.setTarget(domain.name)
        return (caller, domain)
    }

    /// A stable rule name for each way a domain name can be wrong.
    static func rule(for reason: DomainNameError.Reason) -> String {
        switch reason {
        case .empty: "required"
        case .tooLong, .labelTooLong: "max_length"
        case .emptyLabel: "empty_label"
        case .invalidCharacter: "characters"
        case .leadingHyphen, .trailingHyphen, .reservedHyphens: "hyphens"
        case .ipAddress: "ip_address"
        case .wildcard: "wildcard"
        case .underscore: "underscore"
        case .singleLabel: "single_label"
        case .numericTopLevel: "numeric_tld"
        case .invalidPunycode: "punycode"
        }
    }

    private static func create(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let caller = try context.authenticate(request)
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(body: request.body, allowed: ["name"])
        let text = fields.string("name", maxLength: 253)
        var name: DomainName?
        if let text {
            do {
                name = try DomainName(parsing: text)
            } catch {
                fields.fail("name", rule: rule(for: error.reason), error.message)
            }
        }
        try fields.finish()
        guard let name else { throw APIError.validation(fields.errors) }
        let token = try SecureRandom.token(byteCount: 24)
        do {
            let domain = try context.store.domains.create(
                accountID: caller.account.id,
                name: name,
                verificationToken: token,
                defaultLimit: context.environment.domainLimit,
                at: context.now
            )
            return JSONResponse(
                .created,
                .domain(try DomainView.load(domain, context: context)),
                headers: [.location: "/v1/domains/\(domain.name)"]
            )
        } catch let error as StoreError {
            switch error.code {
            case .domainLimitReached:
                let limit = error.limit ?? context.environment.domainLimit
                throw APIError(
                    .forbidden,
                    "domain-limit-reached",
                    title: "Domain limit reached",
                    detail: "This account may hold at most \(limit) domains (MTASTS_DOMAIN_LIMIT); delete one first.",
                    extra: [JSONMember(key: "limit", value: .int(limit))]
                )
            case .duplicateDomain:
                throw APIError(
                    .conflict,
                    "domain-exists",
                    title: "Domain already added",
                    detail: "This account already has \(name.name)."
                )
            default:
                throw error
            }
        }
    }

    private static func list(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let caller = try context.authenticate(request)
        var limit = 50
        if let text = context.query["limit"] {
            guard let value = Int(text), (1...maximumPageSize).contains(value) else {
                throw APIError.invalid("limit", rule: "range", "limit must be a whole number 1…\(maximumPageSize).")
            }
            limit = value
        }
        let after = context.query["after"]
        if let after, after.unicodeScalars.count > 253 {
            throw APIError.invalid("after", rule: "max_length", "after is a domain name of at most 253 characters.")
        }
        let page = try context.store.domains.list(accountID: caller.account.id, after: after, limit: limit + 1)
        let shown = Array(page.prefix(limit))
        let next: JSONValue = page.count > limit ? .string(shown.last?.name) : .null
        return JSONResponse(
            .ok,
            ["domains": .array(try DomainView.load(shown, context: context).map(JSONValue.domain)), "next_after": next]
        )
    }

    private static func delete(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let (_, domain) = try owned(request, context)
        let immediately: Bool
        switch context.query["immediately"] {
        case nil, "false": immediately = false
        case "true": immediately = true
        default: throw APIError.invalid("immediately", rule: "boolean", "immediately must be true or false.")
        }
        let now = context.now
        if domain.status == .pendingVerification {
            let deleted = try context.store.domains.deleteUnverified(domainID: domain.id, at: now)
            return JSONResponse(
                .ok,
                [
                    "name": .string(deleted.name), "status": .string(deleted.status.rawValue),
                    "deleted_at": .date(deleted.deletedAt),
                    "detail": "The domain never served a policy and was deleted at once.",
                ]
            )
        }
        if immediately {
            throw APIError(
                .conflict,
                "domain-was-live",
                title: "Domain has served a policy",
                detail: "\(domain.name) has served an MTA-STS policy; senders may cache it, so it must be offboarded "
                    + "(DELETE without immediately=true)."
            )
        }
        let (offboarding, policy) = try context.store.domains.offboard(domainID: domain.id, at: now)
        let until = offboarding.serveUntil.map { $0.formatted(.iso8601) } ?? "later"
        return JSONResponse(
            .accepted,
            [
                "name": .string(offboarding.name), "status": .string(offboarding.status.rawValue),
                "serve_until": .date(offboarding.serveUntil), "policy": policy.map(JSONValue.policy) ?? .null,
                "detail": .string(
                    "Publishing mode none (RFC 8461 §8.3) until \(until), when every policy senders may have "
                        + "cached has expired; then the domain is removed. Keep the DNS records until then."
                ),
            ]
        )
    }
}

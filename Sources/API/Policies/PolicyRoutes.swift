import Foundation
import HTTPCore
import JSON
import MTASTS
import Store
import TLSReporting

/// `GET|PUT /v1/domains/{name}/policy`, `GET …/policy/history`, `GET …/mx-check`.
enum PolicyRoutes {
    /// Most `mx` patterns accepted in one policy.
    static let maximumPatterns = 64

    static func register(on router: inout Router) {
        router.get("/v1/domains/{name}/policy") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            guard let policy = try context.store.policies.current(domainID: domain.id) else {
                throw APIError.notFound("A policy for \(domain.name) (verify the domain first)")
            }
            return JSONResponse(.ok, .policy(policy), headers: [.etag: etag(policy)])
        }
        router.put("/v1/domains/{name}/policy", audit: .recorded("policy.update", target: .parameter("name"))) {
            request,
            context in try put(request, context)
        }
        router.get("/v1/domains/{name}/policy/history") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            let history = try context.store.policies.history(domainID: domain.id)
            return JSONResponse(.ok, ["policies": .array(history.map(JSONValue.historyEntry))])
        }
        router.get("/v1/domains/{name}/mx-check") { request, context in
            let (caller, domain) = try DomainRoutes.owned(request, context)
            let policy = try context.store.policies.current(domainID: domain.id)
            let patterns = (policy?.mx ?? []).compactMap { try? MXPattern(parsing: $0) }
            let (hosts, outcome) = try context.withLiveLookups(for: caller) { $0.mx(domain.name) }
            return JSONResponse(.ok, MXCoverage(hosts: hosts, patterns: patterns).json(lookup: outcome))
        }
    }

    /// `"<policy id>"`: the id changes exactly when the text does, so it is a strong validator.
    static func etag(_ policy: PolicyRecord) -> String { "\"\(policy.policyID)\"" }

    /// The policy ids `If-Match` lets a write replace: nil without the field or for `*`, else the opaque tags of
    /// its strong entity-tags. If-Match compares strongly (RFC 9110 §13.1.1), so a weak tag matches nothing.
    /// - Throws: 422 (`If-Match`, rule `etag`) for a value that is neither `*` nor a list of entity-tags.
    static func ifMatchPolicyIDs(_ request: HTTPRequest) throws -> Set<String>? {
        let lines = request.head.fields.values(for: .ifMatch)
        // RFC 9110 §5.3: several field lines of a list-based field are one comma-separated list.
        guard !lines.isEmpty, lines != ["*"] else { return nil }
        guard let tags = EntityTag.list(parsing: lines.joined(separator: ", ")) else {
            throw APIError.invalid(
                "If-Match",
                rule: "etag",
                "If-Match must be * or ETags such as \"20260101T000000\", separated by commas."
            )
        }
        return Set(tags.filter { !$0.isWeak }.map(\.opaqueTag))
    }

    /// Reads and validates `{mode, mx, max_age, force?}` with the model's rules.
    static func readPolicy(_ request: HTTPRequest) throws -> (policy: Policy, force: Bool) {
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(body: request.body, allowed: ["mode", "mx", "max_age", "force"])
        let modeText = fields.string("mode", maxLength: 16)
        let mode = modeText.flatMap(PolicyMode.init(rawValue:))
        if modeText != nil, mode == nil {
            fields.fail("mode", rule: "enum", "mode must be one of enforce, testing, none.")
        }
        let mxTexts = fields.strings("mx", required: mode != PolicyMode.none, maxCount: maximumPatterns, maxLength: 255)
        let maxAge = fields.int("max_age", range: 0...Policy.maxAgeLimit)
        let force = fields.bool("force") ?? false
        var patterns: [MXPattern] = []
        for (index, text) in (mxTexts ?? []).enumerated() {
            do {
                patterns.append(try MXPattern(parsing: text))
            } catch {
                let rule = error.underlying.map { DomainRoutes.rule(for: $0.reason) } ?? "mx_pattern"
                fields.fail("mx[\(index)]", rule: rule, error.message)
            }
        }
        try fields.finish()
        guard let mode, let maxAge else { throw APIError.validation(fields.errors) }
        do {
            return (try Policy(mode: mode, mx: patterns, maxAge: maxAge), force)
        } catch {
            let rule =
                switch error.code {
                case .duplicateMXPattern: "duplicate"
                case .missingMX: "required"
                case .maxAgeOutOfRange: "range"
                default: error.code.rawValue
                }
            throw APIError.invalid(error.field ?? "body", rule: rule, error.message)
        }
    }

    private static func put(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let (caller, domain) = try DomainRoutes.owned(request, context)
        let (policy, force) = try readPolicy(request)
        let expectedIDs = try ifMatchPolicyIDs(request)
        guard domain.status == .verified else {
            throw APIError(
                .conflict,
                "domain-not-verified",
                title: "Domain not verified",
                detail: "\(domain.name) is \(domain.status.rawValue); a policy can only be set for a verified domain."
            )
        }
        let (hosts, outcome) = try context.withLiveLookups(for: caller) { $0.mx(domain.name) }
        let coverage = MXCoverage(hosts: hosts, patterns: policy.mx)
        let check = coverage.json(lookup: outcome)
        if policy.mode == .enforce, !force {
            if outcome.isFailure {
                throw APIError(
                    .unprocessableContent,
                    "mx-check-failed",
                    title: "MX hosts could not be checked",
                    detail: "The live MX lookup failed (\(outcome.detail)); retry, or send \"force\": true.",
                    errors: [FieldError(field: "mx", rule: "mx_lookup", message: outcome.detail)],
                    extra: [JSONMember(key: "mx_check", value: check)]
                )
            }
            let uncovered = coverage.uncoveredHosts
            if !uncovered.isEmpty {
                throw APIError(
                    .unprocessableContent,
                    "mx-not-covered",
                    title: "MX hosts not covered by the policy",
                    detail: "In enforce mode senders would refuse to deliver to \(uncovered.joined(separator: ", ")); "
                        + "add patterns for them, or send \"force\": true.",
                    errors: [
                        FieldError(
                            field: "mx",
                            rule: "covers_mx",
                            message: "Not covered: \(uncovered.joined(separator: ", "))."
                        )
                    ],
                    extra: [JSONMember(key: "mx_check", value: check)]
                )
            }
        }
        // The rollout's last step (docs/reports.md): testing → enforce only once the TLS reports say it is safe.
        if policy.mode == .enforce, !force, context.environment.enforceReadyDays > 0,
            let readiness = try ReportViews.readiness(domain, context), !readiness.isReady
        {
            throw APIError(
                .conflict,
                "enforce-not-ready",
                title: "Not ready for enforce",
                detail: readiness.missing.joined(separator: " ") + " Wait, or send \"force\": true to enforce anyway.",
                extra: [JSONMember(key: "enforce_readiness", value: ReportViews.json(readiness))]
            )
        }
        let previous = try context.store.policies.current(domainID: domain.id)
        let result: (policy: PolicyRecord, created: Bool)
        do {
            result = try context.store.policies.publish(
                domainID: domain.id,
                policy: policy,
                at: context.now,
                expectedPolicyIDs: expectedIDs
            )
        } catch let error as StoreError where error.code == .policyPreconditionFailed {
            throw APIError(
                .preconditionFailed,
                "policy-changed",
                title: "Policy changed",
                detail:
                    "The current policy is not one If-Match names (weak W/ tags never match); GET it again and retry."
            )
        } catch let error as StoreError where error.code == .invalidStatus {
            throw APIError(.conflict, "domain-not-verified", title: "Domain not verified", detail: error.message)
        }
        context.audit.note([
            "old_mode": previous?.mode.rawValue ?? "", "new_mode": result.policy.mode.rawValue,
            "old_policy_id": previous?.policyID ?? "", "policy_id": result.policy.policyID,
            "changed": result.created ? "true" : "false",
        ])
        let body = JSONValue.policy(result.policy).adding(["changed": .bool(result.created), "mx_check": check])
        return JSONResponse(.ok, body, headers: [.etag: etag(result.policy)])
    }
}

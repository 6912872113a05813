import Foundation
import HTTPCore
import JSON
import MTASTS
import Store

/// The MX-change plan of a domain (docs/checks.md, "Changing mail provider"): `POST /v1/domains/{name}/mx-change`
/// starts it, `GET` shows each step with its time, `DELETE` cancels it.
enum MXChangeRoutes {
    /// Most patterns one side of a plan may name.
    static let maximumPatterns = 20
    /// `max_age` while a plan runs unless the tenant picks another: a day.
    static let defaultTemporaryMaxAge = 86_400

    static func register(on router: inout Router) {
        router.post("/v1/domains/{name}/mx-change", audit: .recorded("mx_change.create", target: .parameter("name"))) {
            request,
            context in
            try start(request, context)
        }
        router.get("/v1/domains/{name}/mx-change") { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            guard let plan = try context.store.mxChanges.latest(domainID: domain.id) else {
                throw APIError.notFound("An MX change of \(domain.name)")
            }
            return JSONResponse(.ok, describe(plan, domain: domain))
        }
        router.delete("/v1/domains/{name}/mx-change", audit: .recorded("mx_change.cancel", target: .parameter("name")))
        { request, context in
            let (_, domain) = try DomainRoutes.owned(request, context)
            guard let plan = try context.store.mxChanges.cancel(domainID: domain.id, at: context.now) else {
                throw APIError.notFound("An MX change in progress for \(domain.name)")
            }
            return JSONResponse(.ok, describe(plan, domain: domain))
        }
    }

    private static func start(_ request: HTTPRequest, _ context: RequestContext) throws -> JSONResponse {
        let (_, domain) = try DomainRoutes.owned(request, context)
        try RequestBody.requireJSON(request)
        var fields = try JSONFields(body: request.body, allowed: ["add", "remove", "temporary_max_age"])
        let added = patterns(&fields, "add") ?? []
        let removed = patterns(&fields, "remove") ?? []
        let temporary =
            fields.int("temporary_max_age", required: false, range: 300...604_800) ?? defaultTemporaryMaxAge
        guard domain.status == .verified, let current = try context.store.policies.current(domainID: domain.id) else {
            throw APIError(
                .conflict,
                "domain-not-verified",
                title: "Domain not verified",
                detail: "Only a verified domain with a policy can change mail provider."
            )
        }
        if added.isEmpty && removed.isEmpty && !fields.errors.contains(where: { $0.field.hasPrefix("add") }) {
            fields.fail("add", rule: "min_items", "Name the new provider's hosts in add, the old one's in remove.")
        }
        for (index, pattern) in added where current.mx.contains(pattern.description) {
            fields.fail("add[\(index)]", rule: "already_in_policy", "\(pattern) is already in the policy.")
        }
        for (index, pattern) in removed where !current.mx.contains(pattern.description) {
            fields.fail("remove[\(index)]", rule: "not_in_policy", "\(pattern) is not in the policy.")
        }
        let add = unique(added.map(\.pattern))
        let remove = unique(removed.map(\.pattern))
        let gone = Set(remove.map(\.description))
        if current.mx.filter({ !gone.contains($0) }).isEmpty && add.isEmpty {
            fields.fail("remove", rule: "keeps_none", "The policy would list no MX host; add the new hosts.")
        }
        try fields.finish()
        do {
            let (plan, _) = try context.store.mxChanges.start(
                domainID: domain.id,
                add: add,
                remove: remove,
                temporaryMaxAge: temporary,
                at: context.now
            )
            try context.store.jobs(workerID: "api").enqueue(kind: .advanceMXChange, domainID: domain.id)
            return JSONResponse(
                .created,
                describe(plan, domain: domain),
                headers: [.location: "/v1/domains/\(domain.name)/mx-change"]
            )
        } catch let error as StoreError where error.code == .planInProgress {
            throw APIError(.conflict, "mx-change-in-progress", title: "MX change in progress", detail: error.message)
        }
    }

    /// Reads an optional array of MX patterns with the index each had in the request; records an error per
    /// invalid one.
    private static func patterns(_ fields: inout JSONFields, _ key: String) -> [(index: Int, pattern: MXPattern)]? {
        guard let texts = fields.strings(key, required: false, maxCount: maximumPatterns, maxLength: 253) else {
            return fields.errors.contains { $0.field == key } ? nil : []
        }
        var patterns: [(index: Int, pattern: MXPattern)] = []
        for (index, text) in texts.enumerated() {
            do {
                patterns.append((index, try MXPattern(parsing: text)))
            } catch {
                fields.fail("\(key)[\(index)]", rule: "mx_pattern", error.message)
            }
        }
        return patterns
    }

    /// `patterns` without repeats, in order.
    private static func unique(_ patterns: [MXPattern]) -> [MXPattern] {
        patterns.reduce(into: []) { kept, pattern in if !kept.contains(pattern) { kept.append(pattern) } }
    }

    /// The plan with its steps, each done, current or pending, with its time.
    static func describe(_ plan: MXChangePlanRecord, domain: DomainRecord) -> JSONValue {
        func step(_ name: String, _ status: String, at: Date?, _ detail: String) -> JSONValue {
            ["step": .string(name), "status": .string(status), "at": .date(at), "detail": .string(detail)]
        }
        let finished = plan.state == .completed || plan.state == .cancelled
        let waiting = plan.state == .waiting
        let newHosts = plan.add.isEmpty ? "the new hosts" : plan.add.joined(separator: ", ")
        let steps: [JSONValue] = [
            step(
                "publish_new_patterns",
                "done",
                at: plan.createdAt,
                "The policy lists \(newHosts) too, with max_age lowered to \(plan.temporaryMaxAge) seconds."
            ),
            step(
                "wait_for_caches",
                waiting ? "current" : (plan.state == .cancelled && plan.readyAt == nil ? "skipped" : "done"),
                at: plan.safeAt,
                "Until then senders may still hold an enforce policy without \(newHosts)."
            ),
            step(
                "switch_mx_records",
                plan.switchedAt != nil
                    ? "done" : (plan.state == .ready ? "current" : (finished ? "skipped" : "pending")),
                at: plan.switchedAt,
                "Change the MX records of \(domain.name) to the new provider's hosts; the platform watches them."
            ),
            step(
                "remove_old_patterns",
                plan.state == .completed ? "done" : (plan.state == .cancelled ? "skipped" : "pending"),
                at: plan.state == .completed ? plan.finishedAt : nil,
                plan.remove.isEmpty
                    ? "max_age goes back to \(plan.originalMaxAge) seconds."
                    : "\(plan.remove.joined(separator: ", ")) leave the policy and max_age goes back to "
                        + "\(plan.originalMaxAge) seconds."
            ),
        ]
        let next: String
        switch plan.state {
        case .waiting:
            next =
                "Keep the MX records as they are until \(plan.safeAt.formatted(.iso8601)); you will be told when to switch."
        case .ready:
            next = "Switch the MX records of \(domain.name) to \(newHosts) now."
        case .completed:
            next = "Done: the policy lists only the new hosts."
        case .cancelled:
            next =
                "Cancelled: the policy stays as it is now, with the new hosts and max_age "
                + "\(min(plan.originalMaxAge, plan.temporaryMaxAge)); "
                + "edit it if needed."
        }
        return [
            "state": .string(plan.state.rawValue), "add": .array(plan.add.map(JSONValue.string)),
            "remove": .array(plan.remove.map(JSONValue.string)), "original_max_age": .int(plan.originalMaxAge),
            "temporary_max_age": .int(plan.temporaryMaxAge), "created_at": .date(plan.createdAt),
            "safe_at": .date(plan.safeAt), "ready_at": .date(plan.readyAt), "switched_at": .date(plan.switchedAt),
            "finished_at": .date(plan.finishedAt),
            "observed_mx": plan.observedMX.map { .array($0.map(JSONValue.string)) } ?? .null,
            "observed_at": .date(plan.observedAt), "steps": .array(steps), "next_step": .string(next),
        ]
    }
}

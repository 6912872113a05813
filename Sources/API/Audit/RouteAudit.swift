/// What the audit log records when a state-changing route succeeds.
///
/// Every POST, PUT and DELETE route declares one when it is registered (``Router/post(_:audit:_:)``), and the
/// dispatcher (``APIResponder``) writes the entry once the handler has returned a 2xx response: no route can change
/// a tenant's rows without either an entry or a stated reason not to write one.
///
/// ```swift
/// router.post("/v1/tokens", audit: .recorded("token.create", target: .responseField("id"))) { request, context in
///     …
/// }
/// ```
package enum RouteAudit: Sendable, Equatable {
    /// Write an entry named `action` about `target`.
    case recorded(_ action: String, target: AuditTarget)
    /// Write nothing, for the stated reason (the route changes nothing a tenant owns).
    case exempt(reason: String)

    /// The action's name, or nil for an exempt route.
    package var action: String? {
        if case .recorded(let action, _) = self { return action }
        return nil
    }
}

/// Where an audit entry's target comes from.
package enum AuditTarget: Sendable, Equatable {
    /// No target: the action is about the account itself.
    case none
    /// The route's path parameter of this name (`{name}`, `{id}`).
    case parameter(String)
    /// A top-level string member of the JSON response (the id of what was created).
    case responseField(String)
}

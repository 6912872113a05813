package import Foundation
package import Store
import Synchronization

/// What a request's handler tells the audit log about itself: who acted (set by authentication or by sign-up and
/// login, which create the caller), and optionally a target and a few details the route's declaration cannot know.
///
/// One per request, shared by the copies of its ``RequestContext``; read by the dispatcher after the handler
/// returns.
package final class AuditTrail: Sendable {
    /// The acting account and credential.
    package struct Actor: Sendable, Equatable {
        package var accountID: UUID
        package var kind: AuditActorKind
        /// The session's or token's id (never its value).
        package var detail: String
    }

    private struct State {
        var actor: Actor?
        var target: String?
        var details: [String: String] = [:]
    }

    // Guarded by the mutex: a handler and the dispatcher run on the same thread, one after the other.
    private let state = Mutex(State())

    package init() {}

    /// The acting account and credential, if the request has one.
    package var actor: Actor? { state.withLock { $0.actor } }
    /// The target a handler set, overriding the route's declaration.
    package var target: String? { state.withLock { $0.target } }
    /// The details handlers added.
    package var details: [String: String] { state.withLock { $0.details } }

    /// Names `token` (a session or an API token of `accountID`) as the actor.
    package func attribute(to token: TokenRecord) {
        let kind: AuditActorKind = token.kind == .session ? .account : .token
        let actor = Actor(accountID: token.accountID, kind: kind, detail: token.id.uuidString.lowercased())
        state.withLock { $0.actor = actor }
    }

    /// Sets the entry's target, for a route whose target is neither a path parameter nor a response member.
    package func setTarget(_ target: String) {
        state.withLock { $0.target = target }
    }

    /// Adds facts to the entry (never a secret).
    package func note(_ details: [String: String]) {
        state.withLock { $0.details.merge(details) { _, new in new } }
    }
}

package import Foundation
import HTTPCore
package import Logging
package import Store

/// Per-request state handed to every handler: the request id, path parameters, the environment and a logger.
package struct RequestContext: Sendable {
    /// A random id, sent back in `X-Request-ID` and quoted in 500 responses and logs.
    package let requestID: String
    /// The `{name}` parameters of the matched route, percent-decoded.
    package let parameters: [String: String]
    /// Configuration and collaborators.
    package let environment: APIEnvironment
    /// The query parameters, percent-decoded (`+` is a space); the last value wins.
    package let query: [String: String]
    /// A logger carrying `request_id`.
    package let logger: Logger
    /// Who acts, and what the handler adds to the request's audit entry (shared by every copy of the context).
    package let audit = AuditTrail()

    /// The store on the environment's pool.
    package var store: DataStore { environment.store }

    /// The current time from the environment's clock.
    package var now: Date { environment.clock() }

    /// The value of a path parameter (empty when the route has no such parameter, which is a programming error
    /// caught by the router tests).
    package func parameter(_ name: String) -> String { parameters[name] ?? "" }
}

extension RequestContext {
    /// Runs `body` with live lookups under one time budget, counting against `caller`'s account cap.
    /// - Throws: 429 `too-many-lookups` when the account already runs as many such requests as it may.
    func withLiveLookups<Value>(for caller: Authenticated, _ body: (LiveLookup) throws -> Value) throws -> Value {
        let service = environment.liveLookups
        let live = LiveLookup(service: service, deadline: .now + service.budget)
        guard let value = try service.withSlot(account: caller.account.id, { try body(live) }) else {
            let wait = max(1, Int(service.budget.components.seconds))
            throw APIError(
                .tooManyRequests,
                "too-many-lookups",
                title: "Too many live checks",
                detail: "This account already runs \(service.perAccount) requests with live DNS lookups; "
                    + "retry in \(wait) seconds.",
                headers: [.retryAfter: String(wait)]
            )
        }
        return value
    }
}

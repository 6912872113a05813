/// Why an order cannot complete, as the ``ACMEOrderStateMachine`` reports it in ``ACMEOrderStateMachine/Action/fail(_:)``.
package struct ACMEOrderFailure: Sendable, Equatable, CustomStringConvertible {
    /// The category of failure.
    package enum Reason: Sendable, Equatable {
        /// An authorization became invalid (the challenge's error is in ``ACMEOrderFailure/problem``).
        case authorizationInvalid(identifier: String)
        /// An authorization ended expired, deactivated or revoked.
        case authorizationUnusable(identifier: String, status: ACMEStatus)
        /// An authorization offers no http-01 challenge.
        case noHTTP01Challenge(identifier: String)
        /// The order became invalid.
        case orderInvalid
        /// The server sent a status the flow cannot continue from (or a valid order without a certificate URL).
        case unexpectedStatus(ACMEStatus)
        /// The polling deadline passed.
        case timedOut
    }

    /// The category.
    package var reason: Reason
    /// The server's problem document, when there is one.
    package var problem: ACMEProblem?

    /// Creates a failure.
    package init(_ reason: Reason, problem: ACMEProblem? = nil) {
        self.reason = reason
        self.problem = problem
    }

    /// A short explanation, safe to log.
    package var description: String {
        let text: String
        switch reason {
        case .authorizationInvalid(let identifier): text = "authorization for \(identifier) is invalid"
        case .authorizationUnusable(let identifier, let status): text = "authorization for \(identifier) is \(status)"
        case .noHTTP01Challenge(let identifier): text = "no http-01 challenge offered for \(identifier)"
        case .orderInvalid: text = "order is invalid"
        case .unexpectedStatus(let status): text = "unexpected order status \(status)"
        case .timedOut: text = "order did not complete before the polling deadline"
        }
        return problem.map { text + ": \($0)" } ?? text
    }

    /// The matching ``ACMEError``.
    package var error: ACMEError {
        switch reason {
        case .authorizationInvalid, .authorizationUnusable:
            ACMEError(.authorizationFailed, description, problem: problem)
        case .noHTTP01Challenge:
            ACMEError(.noSupportedChallenge, description)
        case .orderInvalid, .unexpectedStatus:
            ACMEError(.orderFailed, description, problem: problem)
        case .timedOut:
            ACMEError(.timedOut, description)
        }
    }
}

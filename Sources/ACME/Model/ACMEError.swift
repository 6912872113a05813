package import Foundation

/// The error thrown by the ACME client.
///
/// Compare errors by ``code`` (equality looks at the code only); a server's problem document is in ``problem``.
/// ``description`` is safe to log: server problem details, URLs and key ids, never key material or HMAC keys.
///
/// ```swift
/// do { try client.issueCertificate(for: ["mta-sts.example.com"], publisher: publisher) }
/// catch let error as ACMEError where error.problem?.type == .rateLimited {
///     scheduleRetry(at: error.retryAfter)
/// }
/// ```
package struct ACMEError: Error, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case problem
            case transport
            case invalidResponse
            case invalidRequest
            case invalidConfiguration
            case externalAccountBindingRequired
            case authorizationFailed
            case noSupportedChallenge
            case orderFailed
            case timedOut
            case cryptography
            case challengePublication
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The server answered with a problem document; see ``ACMEError/problem``.
        package static let problem = Code(.problem)
        /// The transport failed (DNS, connect, TLS, timeout); see ``ACMEError/underlying``.
        package static let transport = Code(.transport)
        /// The server's answer was malformed or unexpected (bad JSON, missing `Location`, wrong status).
        package static let invalidResponse = Code(.invalidResponse)
        /// A request could not be built (for example a JWK without its required members).
        package static let invalidRequest = Code(.invalidRequest)
        /// The client configuration is unusable (bad EAB key, empty domain list).
        package static let invalidConfiguration = Code(.invalidConfiguration)
        /// The directory requires External Account Binding and no EAB key id / HMAC key is configured.
        package static let externalAccountBindingRequired = Code(.externalAccountBindingRequired)
        /// An authorization became invalid; ``ACMEError/problem`` is the challenge's error.
        package static let authorizationFailed = Code(.authorizationFailed)
        /// An authorization offers no `http-01` challenge.
        package static let noSupportedChallenge = Code(.noSupportedChallenge)
        /// The order became invalid; ``ACMEError/problem`` is the order's error if it has one.
        package static let orderFailed = Code(.orderFailed)
        /// Polling exceeded its deadline.
        package static let timedOut = Code(.timedOut)
        /// Signing or key generation failed.
        package static let cryptography = Code(.cryptography)
        /// The ``ChallengePublisher`` failed to publish the key authorization.
        package static let challengePublication = Code(.challengePublication)

        /// The code's name, e.g. `problem`.
        package var description: String { base.rawValue }
    }

    /// The kind of failure.
    package let code: Code
    /// A short explanation, safe to log.
    package let message: String
    /// The server's problem document, for ``Code/problem``, ``Code/authorizationFailed`` and ``Code/orderFailed``.
    package let problem: ACMEProblem?
    /// HTTP status of the failed response, when there was one.
    package let status: Int?
    /// When the server allows the next attempt (`Retry-After`, e.g. with `rateLimited`).
    package let retryAfter: Date?
    /// An underlying error (transport, JSON decoding, Crypto).
    package let underlying: (any Error)?
    /// Source file that created the error.
    package let file: String
    /// Source line that created the error.
    package let line: Int

    /// Creates an error.
    package init(
        _ code: Code,
        _ message: String,
        problem: ACMEProblem? = nil,
        status: Int? = nil,
        retryAfter: Date? = nil,
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.problem = problem
        self.status = status
        self.retryAfter = retryAfter
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// The problem type, shorthand for `problem?.type`.
    package var problemType: ACMEProblemType? { problem?.type }

    /// Errors are equal when their codes are equal.
    package static func == (lhs: ACMEError, rhs: ACMEError) -> Bool {
        lhs.code == rhs.code
    }

    /// `ACMEError.<code>: <message> (<problem>)`, safe to log.
    package var description: String {
        var text = "ACMEError.\(code): \(message)"
        if let problem { text += " (\(problem))" }
        if let status { text += " [HTTP \(status)]" }
        if let retryAfter { text += " retry after \(Int64(retryAfter.timeIntervalSince1970.rounded(.up)))" }
        return text
    }

    /// The description plus source location and the underlying error.
    package var debugDescription: String {
        var text = description + " (\(file):\(line))"
        if let underlying { text += " underlying: \(String(reflecting: underlying))" }
        return text
    }
}

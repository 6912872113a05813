import HTTPCore
package import TLS

/// Why an outbound request failed.
///
/// Equal on ``code`` only. ``description`` is safe to log: it names the host and port and the failing step,
/// never the path, query, headers or body (which may carry tokens); ``debugDescription`` adds the underlying
/// error and the source location.
///
/// ```swift
/// do { response = try client.send(request) } catch let error as HTTPClientError where error.code == .timeout {
///     // retry later
/// }
/// ```
package struct HTTPClientError: Error, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure; a closed set with one static member per step that can fail.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidURL, invalidRequest, resolutionFailed, connectFailed, tlsFailed, timeout
            case malformedResponse, bodyTooLarge, connectionFailed, destinationRefused
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The URL is not `http://` or `https://` with a valid host, port and path.
        package static let invalidURL = Code(.invalidURL)
        /// A header name or value cannot be sent (CR, LF or another control byte in it).
        package static let invalidRequest = Code(.invalidRequest)
        /// The host name did not resolve to any address.
        package static let resolutionFailed = Code(.resolutionFailed)
        /// No address accepted the TCP connection (refused, unreachable).
        package static let connectFailed = Code(.connectFailed)
        /// The TLS handshake failed; ``HTTPClientError/verificationFailure`` says why a certificate was rejected.
        package static let tlsFailed = Code(.tlsFailed)
        /// The connect timeout or the total request timeout passed.
        package static let timeout = Code(.timeout)
        /// The response violates HTTP/1.1 framing or a parser limit, or the connection ended mid-response.
        package static let malformedResponse = Code(.malformedResponse)
        /// The response body exceeds the configured maximum.
        package static let bodyTooLarge = Code(.bodyTooLarge)
        /// Reading or writing the established connection failed (reset, broken pipe, TLS record error).
        package static let connectionFailed = Code(.connectionFailed)
        /// The host is, or resolves to, an address the configuration refuses
        /// (``HTTPClientConfiguration/publicAddressesOnly``); nothing was connected to.
        package static let destinationRefused = Code(.destinationRefused)

        /// The case name, e.g. `tlsFailed`.
        package var description: String { base.rawValue }
    }

    /// The kind of failure.
    package let code: Code
    /// A log-safe explanation, e.g. `"connect to 127.0.0.1:443 failed: Connection refused"`.
    package let message: String
    /// For ``Code/tlsFailed``: OpenSSL's certificate verification result, e.g. `"hostname mismatch"`.
    package let verificationFailure: String?
    /// The typed certificate verification failure behind ``verificationFailure``, when there is one.
    package let verification: TLSVerificationFailure?
    /// The error that caused this one (``SystemError``, `TLSError`), if any.
    package let underlying: (any Error)?
    /// Where the error was raised (`#fileID`).
    package let file: String
    /// Where the error was raised (`#line`).
    package let line: Int

    /// Creates an error.
    package init(
        _ code: Code,
        _ message: String,
        verificationFailure: String? = nil,
        verification: TLSVerificationFailure? = nil,
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.verificationFailure = verificationFailure
        self.verification = verification
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// Wraps an error of HTTPCore's response parser: an over-limit body becomes ``Code/bodyTooLarge``, every
    /// other parse failure (framing, syntax, limits, a connection closed mid-response) ``Code/malformedResponse``.
    ///
    /// - Parameters:
    ///   - error: What the parser threw; kept as ``underlying``.
    ///   - maximumBodyBytes: The body limit the parser enforced, named in the message.
    init(parsing error: HTTPParseError, maximumBodyBytes: Int, file: String = #fileID, line: Int = #line) {
        if error.code == .contentTooLarge {
            self.init(
                .bodyTooLarge,
                "response body exceeds \(maximumBodyBytes) bytes",
                underlying: error,
                file: file,
                line: line
            )
        } else {
            self.init(
                .malformedResponse,
                "malformed response: \(error.message)",
                underlying: error,
                file: file,
                line: line
            )
        }
    }

    /// Equal when the codes are equal.
    package static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool { lhs.code == rhs.code }

    /// `HTTPClientError.<code>: <message>`; safe to log.
    package var description: String { "HTTPClientError.\(code): \(message)" }

    /// The description plus the underlying error and the source location.
    package var debugDescription: String {
        let cause = underlying.map { " (underlying: \(String(describing: $0)))" } ?? ""
        return "\(description)\(cause) at \(file):\(line)"
    }
}

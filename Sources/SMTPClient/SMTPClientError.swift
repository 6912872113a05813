package import TLS

/// Why an SMTP exchange failed, with the step and, when the server refused something, its reply.
///
/// Equal on ``code`` only. ``description`` is safe to log: it names the server, the step and the server's reply,
/// never credentials or message content; ``debugDescription`` adds the underlying error and the source location.
///
/// ```swift
/// do throws(SMTPClientError) { try client.send(message) } catch {
///     log(error.step, error.reply?.code, error.reply?.enhancedStatusCode)   // recipient 550 5.1.1
///     if error.isTransient { retryLater() }
/// }
/// ```
package struct SMTPClientError: Error, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure; a closed set with one static member per way to fail.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidConfiguration, invalidURL, invalidAddress, invalidMessage, messageTooLarge
            case resolutionFailed, connectFailed, timeout, tlsFailed, startTLSUnavailable
            case authenticationUnavailable, smtpUTF8Unavailable
            case rejected, malformedReply, connectionClosed, connectionFailed
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A setting cannot be used (e.g. the EHLO name is not a domain, trust roots cannot be loaded).
        package static let invalidConfiguration = Code(.invalidConfiguration)
        /// The relay URL is not a valid `smtp://` or `smtps://` URL.
        package static let invalidURL = Code(.invalidURL)
        /// A mail address is malformed.
        package static let invalidAddress = Code(.invalidAddress)
        /// The message cannot be sent (no recipients, a header name or value that would break the header).
        package static let invalidMessage = Code(.invalidMessage)
        /// The message is larger than the SIZE the server advertised (RFC 1870).
        package static let messageTooLarge = Code(.messageTooLarge)
        /// The host name did not resolve to any address, or the lookup failed.
        package static let resolutionFailed = Code(.resolutionFailed)
        /// No address accepted the TCP connection.
        package static let connectFailed = Code(.connectFailed)
        /// A step's timeout or the overall deadline passed; ``SMTPClientError/step`` says which step.
        package static let timeout = Code(.timeout)
        /// The TLS handshake failed; ``SMTPClientError/verificationFailure`` says why a certificate was rejected.
        package static let tlsFailed = Code(.tlsFailed)
        /// TLS is required (submission) but the server does not offer STARTTLS.
        package static let startTLSUnavailable = Code(.startTLSUnavailable)
        /// Credentials are configured but the server offers neither PLAIN nor LOGIN.
        package static let authenticationUnavailable = Code(.authenticationUnavailable)
        /// An address or the message needs SMTPUTF8, which the server does not offer.
        package static let smtpUTF8Unavailable = Code(.smtpUTF8Unavailable)
        /// The server answered a step with a reply other than the expected one; see ``SMTPClientError/reply``.
        package static let rejected = Code(.rejected)
        /// The server's bytes are not a valid reply (``SMTPClientError/underlying`` is the ``SMTPParseError``).
        package static let malformedReply = Code(.malformedReply)
        /// The server closed the connection before the step was complete.
        package static let connectionClosed = Code(.connectionClosed)
        /// Reading or writing the connection failed (reset, TLS record error).
        package static let connectionFailed = Code(.connectionFailed)

        /// The case name, e.g. `rejected`.
        package var description: String { base.rawValue }
    }

    /// The kind of failure.
    package let code: Code
    /// A log-safe explanation.
    package let message: String
    /// The step that failed, when the failure happened in a session.
    package let step: SMTPStep?
    /// The server's reply, for ``Code/rejected`` (and a refused greeting).
    package let reply: SMTPReply?
    /// For ``Code/tlsFailed``: why the certificate was rejected, when that was the reason.
    package let verificationFailure: TLSVerificationFailure?
    /// The error that caused this one (``SMTPParseError``, `SystemError`, `TLSError`), if any.
    package let underlying: (any Error)?
    /// Where the error was raised (`#fileID`).
    package let file: String
    /// Where the error was raised (`#line`).
    package let line: Int

    /// Creates an error.
    package init(
        _ code: Code,
        _ message: String,
        step: SMTPStep? = nil,
        reply: SMTPReply? = nil,
        verificationFailure: TLSVerificationFailure? = nil,
        underlying: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.step = step
        self.reply = reply
        self.verificationFailure = verificationFailure
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// Whether trying again later may succeed: a 4xx refusal (RFC 5321 §4.2.1: "transient negative
    /// completion") or a failure of the network or the server (lookup, connect, timeout, a dropped connection,
    /// a garbled reply). A 5xx refusal, invalid input or configuration, and a relay that lacks STARTTLS, AUTH,
    /// SMTPUTF8 or a certificate that verifies are permanent until someone changes something.
    package var isTransient: Bool {
        switch code {
        case .rejected: reply?.isTransientFailure ?? false
        case .resolutionFailed, .connectFailed, .timeout, .connectionClosed, .connectionFailed, .malformedReply: true
        default: false
        }
    }

    /// Equal when the codes are equal.
    package static func == (lhs: SMTPClientError, rhs: SMTPClientError) -> Bool { lhs.code == rhs.code }

    /// `SMTPClientError.<code> [<step>]: <message>`; safe to log.
    package var description: String {
        let step = step.map { " [\($0)]" } ?? ""
        return "SMTPClientError.\(code)\(step): \(message)"
    }

    /// The description plus the underlying error and the source location.
    package var debugDescription: String {
        let cause = underlying.map { " (underlying: \(String(describing: $0)))" } ?? ""
        return "\(description)\(cause) at \(file):\(line)"
    }
}

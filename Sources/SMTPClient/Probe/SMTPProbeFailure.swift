import Glibc
import SystemIO
import TLS

/// Why a probe stopped before QUIT: what a checker shows as "unreachable because …" or "TLS failed because …".
package enum SMTPProbeFailure: Sendable, Hashable, CustomStringConvertible {
    /// The address lookup failed (timeout, SERVFAIL, network); the text is the resolver's.
    case resolutionFailed(String)
    /// The name has no A or AAAA records.
    case noAddresses
    /// The address refused the TCP connection (nothing listens on the port).
    case connectionRefused
    /// The TCP connection failed otherwise (unreachable network, reset); the text is the system's.
    case connectFailed(String)
    /// This step's timeout or the overall deadline passed (``SMTPStep/connect``: no answer to the TCP SYN).
    case timeout(SMTPStep)
    /// The server closed the connection during this step.
    case connectionClosed(SMTPStep)
    /// The server's bytes in this step are not a valid reply.
    case malformedReply(SMTPStep, SMTPParseError.Code)
    /// Reading or writing failed during this step (reset, TLS record error).
    case connectionFailed(SMTPStep, String)
    /// The server refused this step: a greeting other than 220 (e.g. 554, RFC 5321 §3.1), or EHLO or STARTTLS
    /// answered with an error.
    case refused(SMTPStep, SMTPReply)
    /// The TLS handshake failed.
    case tlsHandshakeFailed(SMTPHandshakeFailure)

    /// A short log-safe explanation, e.g. `"timeout during greeting"`.
    package var description: String {
        switch self {
        case .resolutionFailed(let message): "address lookup failed: \(message)"
        case .noAddresses: "no A or AAAA records"
        case .connectionRefused: "connection refused"
        case .connectFailed(let message): "connect failed: \(message)"
        case .timeout(let step): "timeout during \(step)"
        case .connectionClosed(let step): "connection closed during \(step)"
        case .malformedReply(let step, let code): "malformed reply during \(step): \(code)"
        case .connectionFailed(let step, let message): "connection failed during \(step): \(message)"
        case .refused(let step, let reply): "\(step) refused: \(reply)"
        case .tlsHandshakeFailed(let failure): "TLS handshake failed: \(failure)"
        }
    }

    /// Classifies an error from a probe step.
    init(_ error: SMTPClientError) {
        let step = error.step ?? .connect
        switch error.code {
        case .resolutionFailed:
            self = .resolutionFailed(error.message)
        case .connectFailed:
            let isRefused = (error.underlying as? SystemError)?.errno == ECONNREFUSED
            self = isRefused ? .connectionRefused : .connectFailed(error.message)
        case .timeout:
            self = step == .tlsHandshake ? .tlsHandshakeFailed(SMTPHandshakeFailure(error)) : .timeout(step)
        case .connectionClosed:
            self = .connectionClosed(step)
        case .malformedReply:
            let code = (error.underlying as? SMTPParseError)?.code ?? .invalidDigits
            self = .malformedReply(step, code)
        case .tlsFailed:
            self = .tlsHandshakeFailed(SMTPHandshakeFailure(error))
        default:
            if let reply = error.reply {
                self = .refused(step, reply)
            } else {
                self = .connectionFailed(step, error.message)
            }
        }
    }
}

/// Why a TLS handshake with an MX host failed.
package struct SMTPHandshakeFailure: Sendable, Hashable, CustomStringConvertible {
    /// The class of failure.
    package enum Reason: Sendable, Hashable {
        /// No common protocol version: the server offers only versions below TLS 1.2 (RFC 8996), or the reverse.
        case protocolVersion
        /// The server sent this TLS alert.
        case alert(UInt8)
        /// The handshake did not finish within its timeout.
        case timeout
        /// Anything else (connection reset, no shared cipher, a malformed message).
        case other
    }

    /// The class of failure.
    package let reason: Reason
    /// OpenSSL's explanation, log-safe.
    package let message: String

    /// Creates a failure.
    package init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }

    /// Classifies the error of a failed handshake step.
    init(_ error: SMTPClientError) {
        guard error.code != .timeout else {
            self.init(reason: .timeout, message: error.message)
            return
        }
        let tlsError = error.underlying as? TLSError
        if tlsError?.isProtocolVersionMismatch == true {
            self.init(reason: .protocolVersion, message: error.message)
        } else if let alert = tlsError?.receivedAlert {
            self.init(reason: .alert(alert), message: error.message)
        } else {
            self.init(reason: .other, message: error.message)
        }
    }

    /// The message.
    package var description: String { message }
}

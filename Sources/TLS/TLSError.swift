internal import COpenSSL

/// A TLS failure, carrying OpenSSL's drained error queue.
///
/// Equal on ``code`` only. `description` is safe to log: OpenSSL error strings name the failing check
/// ("tlsv1 unrecognized name"), never key material.
package struct TLSError: Error, Equatable, CustomStringConvertible {
    private enum Code: Equatable {
        case configuration
        case invalidCertificate
        case invalidPrivateKey
        case handshakeFailed
        case readFailed
        case writeFailed
        case shutdownFailed
        case unexpectedEOF
    }

    /// One entry from OpenSSL's error queue.
    package struct QueueEntry: Sendable, Equatable {
        /// The packed OpenSSL error code.
        package let code: UInt
        /// `ERR_GET_REASON(code)`.
        package let reason: Int32
        /// `ERR_error_string_n` text.
        package let text: String
    }

    private let code: Code
    /// What was being done, e.g. `"SSL_CTX_use_certificate"`.
    package let message: String
    /// OpenSSL's error queue at the time of failure, oldest first.
    package let queue: [QueueEntry]
    /// The C library `errno` for `SSL_ERROR_SYSCALL` failures, else 0.
    package let systemErrno: Int32
    /// Where the error was raised in Swift.
    package let file: String
    /// Line where the error was raised in Swift.
    package let line: Int

    /// Setting up a context failed (cipher list, groups, protocol range, trust roots).
    package static let configuration = TLSError(code: .configuration)
    /// A certificate or chain could not be parsed or used.
    package static let invalidCertificate = TLSError(code: .invalidCertificate)
    /// A private key could not be parsed, used, or does not match the certificate.
    package static let invalidPrivateKey = TLSError(code: .invalidPrivateKey)
    /// The handshake failed (alert sent or received, verification failure, no shared cipher or version).
    package static let handshakeFailed = TLSError(code: .handshakeFailed)
    /// Reading application data failed.
    package static let readFailed = TLSError(code: .readFailed)
    /// Writing application data failed.
    package static let writeFailed = TLSError(code: .writeFailed)
    /// Sending close_notify failed.
    package static let shutdownFailed = TLSError(code: .shutdownFailed)
    /// The peer closed the transport without close_notify.
    package static let unexpectedEOF = TLSError(code: .unexpectedEOF)

    private init(
        code: Code,
        message: String = "",
        queue: [QueueEntry] = [],
        systemErrno: Int32 = 0,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.queue = queue
        self.systemErrno = systemErrno
        self.file = file
        self.line = line
    }

    /// This error's kind with OpenSSL's error queue drained into it (the queue is left empty).
    package func draining(
        message: String,
        systemErrno: Int32 = 0,
        file: String = #fileID,
        line: Int = #line
    ) -> TLSError {
        var entries: [QueueEntry] = []
        while true {
            let packed = ERR_get_error()
            if packed == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(packed, &text, text.count)
            let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            entries.append(
                QueueEntry(code: packed, reason: ERR_GET_REASON(packed), text: String(decoding: bytes, as: UTF8.self))
            )
        }
        return TLSError(code: code, message: message, queue: entries, systemErrno: systemErrno, file: file, line: line)
    }

    /// The TLS alert the peer sent, if OpenSSL reported one (reason codes 1000+ are received alerts).
    package var receivedAlert: UInt8? {
        for entry in queue where entry.reason >= SSL_AD_REASON_OFFSET && entry.reason < SSL_AD_REASON_OFFSET + 256 {
            return UInt8(entry.reason - SSL_AD_REASON_OFFSET)
        }
        return nil
    }

    /// Whether the handshake failed because client and server share no protocol version: the peer chose or
    /// asked for a version outside this side's range (e.g. a server that speaks only TLS 1.0 or 1.1, RFC 8996),
    /// or answered with a protocol_version alert.
    package var isProtocolVersionMismatch: Bool {
        receivedAlert == UInt8(TLS1_AD_PROTOCOL_VERSION)
            || queue.contains { entry in
                [SSL_R_UNSUPPORTED_PROTOCOL, SSL_R_NO_PROTOCOLS_AVAILABLE, SSL_R_WRONG_SSL_VERSION].contains(
                    entry.reason
                )
            }
    }

    /// Whether any queued OpenSSL error carries `reason` (an `SSL_R_*` value).
    package func hasReason(_ reason: Int32) -> Bool {
        queue.contains { $0.reason == reason }
    }

    /// A log-safe summary.
    package var description: String {
        var text = "TLS \(code): \(message)"
        if !queue.isEmpty {
            text += ": " + queue.map(\.text).joined(separator: "; ")
        }
        if systemErrno != 0 {
            text += " (errno \(systemErrno))"
        }
        return text
    }

    /// Equal when the kinds match; message and queue are ignored.
    package static func == (lhs: TLSError, rhs: TLSError) -> Bool {
        lhs.code == rhs.code
    }
}

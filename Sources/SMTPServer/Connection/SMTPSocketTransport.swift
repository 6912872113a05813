import SystemIO
import TLS

/// The byte stream under one SMTP connection: the accepted socket, in plaintext until STARTTLS and through a
/// ``TLSConnection`` on the same descriptor after it.
///
/// Results are converted at this boundary (STYLE rule 4), so the connection sees the same four read and three write
/// outcomes before and after STARTTLS. Loop-confined, like the connection that owns it (so `TLSConnection`, which
/// is not `Sendable`, never leaves the loop's thread).
///
/// ```swift
/// let transport = SMTPSocketTransport(socket: socket)
/// guard transport.startTLS(context: context) else { close() }   // after writing 220 Ready to start TLS
/// switch transport.handshake() { … }
/// ```
final class SMTPSocketTransport {
    /// The accepted socket.
    let socket: Socket
    /// The TLS connection after STARTTLS.
    private(set) var tls: TLSConnection?

    /// Wraps an accepted socket, in plaintext.
    init(socket: Socket) {
        self.socket = socket
    }

    /// The socket's descriptor.
    var descriptor: CInt { socket.fileDescriptor }

    /// The negotiated TLS version (`TLSv1.3`), for logs; nil before STARTTLS.
    var negotiatedProtocolVersion: String? { tls?.negotiatedProtocolVersion }

    /// Creates the server side of TLS on the socket, from now on used by every read and write.
    ///
    /// OpenSSL reads the socket itself from here on: bytes the client sent after STARTTLS that the session had not
    /// read yet are taken as TLS records (and fail the handshake), never as commands.
    /// - Returns: false when OpenSSL cannot create the connection.
    func startTLS(context: TLSContext) -> Bool {
        guard tls == nil, let connection = try? TLSConnection(context: context, fd: socket.fileDescriptor) else {
            return false
        }
        tls = connection
        return true
    }

    /// Advances the TLS handshake.
    func handshake() -> TLSOperationResult<Void> {
        tls?.handshake() ?? .complete(())
    }

    /// One `SSL_read_ex` or `read(2)`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportRead {
        if let tls {
            switch tls.read(into: buffer) {
            case .complete(0): return .endOfStream
            case .complete(let count):
                // Read-ahead may hold bytes inside OpenSSL where epoll cannot see them; only ask on a short read.
                return .data(count: count, isDrained: count < buffer.count && !tls.hasBufferedInput)
            case .incomplete(let want): return .wouldBlock(wantsWrite: want == .write)
            case .failed: return .failed
            }
        }
        switch try? socket.read(into: buffer) {
        case .processed(0)?: return .endOfStream
        case .processed(let count)?: return .data(count: count, isDrained: count < buffer.count)
        case .wouldBlock?: return .wouldBlock(wantsWrite: false)
        case nil: return .failed
        }
    }

    /// One `SSL_write_ex` or `send(2)`.
    func write(_ buffer: UnsafeRawBufferPointer) -> TransportWrite {
        if let tls {
            switch tls.write(buffer) {
            case .complete(let count): return .wrote(count)
            case .incomplete(let want): return .wouldBlock(wantsRead: want == .read)
            case .failed: return .failed
            }
        }
        switch try? socket.write(buffer) {
        case .processed(let count)?: return .wrote(count)
        case .wouldBlock?: return .wouldBlock(wantsRead: false)
        case nil: return .failed
        }
    }

    /// One `SSL_shutdown`; nothing in plaintext.
    func sendCloseNotify() -> TLSOperationResult<Void> {
        tls?.shutdown() ?? .complete(())
    }

    /// Closes the socket.
    func close() {
        try? socket.close()
    }
}

import SystemIO
import TLS

/// A ``ConnectionTransport`` over an accepted socket, through TLS when the server has a TLS context.
struct SocketTransport: ConnectionTransport {
    /// The accepted socket.
    let socket: Socket
    /// The TLS connection over `socket`, or nil for plain HTTP.
    let tls: TLSConnection?

    /// The socket's descriptor.
    var descriptor: CInt { socket.fileDescriptor }
    /// Whether the server has a TLS context.
    var usesTLS: Bool { tls != nil }
    /// The SNI name the client sent.
    var serverName: String? { tls?.serverName }
    /// The negotiated TLS version.
    var negotiatedProtocolVersion: String? { tls?.negotiatedProtocolVersion }

    /// Advances the TLS handshake; plain sockets have none to do.
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

    /// One `SSL_write_ex` or `write(2)`. With buffered TLS writes the records join what is already held (a session
    /// ticket, an earlier flush the socket did not take), in order; nothing is sent before ``flush()``.
    func write(_ buffer: UnsafeRawBufferPointer) -> TransportWrite {
        if let tls {
            guard buffer.count > 0 else { return .wrote(0) }
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

    /// One `SSL_shutdown` (once), then a flush.
    func sendCloseNotify() -> TLSOperationResult<Void> {
        tls?.shutdown() ?? .complete(())
    }

    var hasUnflushedOutput: Bool { tls?.hasUnflushedOutput ?? false }

    func flush() -> TransportWrite {
        switch tls?.flush() ?? .complete(()) {
        case .complete: .wrote(0)
        case .incomplete: .wouldBlock(wantsRead: false)
        case .failed: .failed
        }
    }

    /// Closes the socket.
    func close() {
        try? socket.close()
    }
}

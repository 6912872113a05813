import SystemIO
import TLS

/// A ``ConnectionTransport`` over an accepted socket, through TLS when the server has a TLS context.
struct SocketTransport: ConnectionTransport {
    /// The accepted socket.
    let socket: Socket
    /// The TLS connection over `socket`, or nil for plain HTTP.
    let tls: TLSConnection?

    var descriptor: CInt { socket.fileDescriptor }
    var usesTLS: Bool { tls != nil }
    var serverName: String? { tls?.serverName }
    var negotiatedProtocolVersion: String? { tls?.negotiatedProtocolVersion }

    func handshake() -> TLSOperationResult<Void> {
        tls?.handshake() ?? .complete(())
    }

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

    func sendCloseNotify() -> TLSOperationResult<Void> {
        tls?.shutdown() ?? .complete(())
    }

    func close() {
        try? socket.close()
    }
}

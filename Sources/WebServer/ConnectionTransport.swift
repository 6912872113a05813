import SystemIO
import TLS

/// Reads and writes for one connection, over the plain socket or through TLS.
enum TransportRead {
    case data(Int)
    /// Nothing now; `wantsWrite` when TLS needs the socket writable first.
    case wouldBlock(wantsWrite: Bool)
    case endOfStream
    case failed
}

enum TransportWrite {
    case wrote(Int)
    case wouldBlock(wantsRead: Bool)
    case failed
}

struct ConnectionTransport {
    let socket: Socket
    let tls: TLSConnection?

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportRead {
        if let tls {
            switch tls.read(into: buffer) {
            case .complete(0): return .endOfStream
            case .complete(let count): return .data(count)
            case .incomplete(let want): return .wouldBlock(wantsWrite: want == .write)
            case .failed: return .failed
            }
        }
        switch try? socket.read(into: buffer) {
        case .processed(0)?: return .endOfStream
        case .processed(let count)?: return .data(count)
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
}

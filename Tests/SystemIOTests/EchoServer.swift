@testable import SystemIO

/// A minimal echo server on an event loop, used by the live tests (loop-thread confined).
final class EchoAcceptor: EventHandler {
    let loop: EventLoop
    let server: ServerSocket

    init(loop: EventLoop, server: ServerSocket) {
        self.loop = loop
        self.server = server
    }

    /// Creates the listener and registers it; call on the loop.
    static func start(on loop: EventLoop) throws -> SocketAddress {
        let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        try loop.register(
            EchoAcceptor(loop: loop, server: server),
            descriptor: server.fileDescriptor,
            interest: .readable
        )
        return server.localAddress
    }

    func readable() {
        while case .processed(let socket)? = try? server.accept() {
            try? socket.setNoDelay(true)
            try? loop.register(
                EchoConnection(loop: loop, socket: socket),
                descriptor: socket.fileDescriptor,
                interest: .readable
            )
        }
    }

    func writable() {}
    func hangup() {}
}

final class EchoConnection: EventHandler {
    let loop: EventLoop
    let socket: Socket
    private var pending: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 16_384)

    init(loop: EventLoop, socket: Socket) {
        self.loop = loop
        self.socket = socket
    }

    func readable() {
        guard pending.isEmpty else { return }
        let result = try? buffer.withUnsafeMutableBytes { try socket.read(into: $0) }
        switch result {
        case .processed(0)?, nil:
            close()
        case .processed(let count)?:
            pending.append(contentsOf: buffer.prefix(count))
            flush()
        case .wouldBlock?:
            break
        }
    }

    func writable() {
        flush()
    }

    func hangup() {
        close()
    }

    private func flush() {
        while !pending.isEmpty {
            switch try? socket.write(pending) {
            case .processed(let count)?:
                pending.removeFirst(count)
            case .wouldBlock?:
                try? loop.modify(descriptor: socket.fileDescriptor, interest: .writable)
                return
            case nil:
                close()
                return
            }
        }
        try? loop.modify(descriptor: socket.fileDescriptor, interest: .readable)
    }

    private func close() {
        try? loop.deregister(descriptor: socket.fileDescriptor)
        try? socket.close()
    }
}

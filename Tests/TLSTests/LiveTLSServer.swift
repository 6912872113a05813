import SystemIO

@testable import TLS

/// A TLS echo server on an event loop over real sockets (loop-thread confined).
final class TLSAcceptor: EventHandler {
    let loop: EventLoop
    let server: ServerSocket
    let context: TLSContext
    let handshakeTimeout: Duration

    init(loop: EventLoop, server: ServerSocket, context: TLSContext, handshakeTimeout: Duration) {
        self.loop = loop
        self.server = server
        self.context = context
        self.handshakeTimeout = handshakeTimeout
    }

    static func start(on loop: EventLoop, context: TLSContext, handshakeTimeout: Duration) throws -> SocketAddress {
        let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let acceptor = TLSAcceptor(loop: loop, server: server, context: context, handshakeTimeout: handshakeTimeout)
        try loop.register(acceptor, descriptor: server.fileDescriptor, interest: .readable)
        return server.localAddress
    }

    func readable() {
        while case .processed(let socket)? = try? server.accept() {
            guard let tls = try? TLSConnection(context: context, fd: socket.fileDescriptor) else {
                try? socket.close()
                continue
            }
            let connection = TLSEchoConnection(loop: loop, socket: socket, tls: tls, handshakeTimeout: handshakeTimeout)
            do {
                try loop.register(connection, descriptor: socket.fileDescriptor, interest: .readable)
                connection.armHandshakeTimer()
            } catch {
                try? socket.close()
            }
        }
    }

    func writable() {}
    func hangup() {}
}

/// Echoes decrypted bytes; the TLS phases are decided by `TLSConnectionStateMachine`.
final class TLSEchoConnection: EventHandler {
    let loop: EventLoop
    let socket: Socket
    let tls: TLSConnection
    private var machine: TLSConnectionStateMachine
    private var timer: TimerID?
    private var pending: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 16_384)

    init(loop: EventLoop, socket: Socket, tls: TLSConnection, handshakeTimeout: Duration) {
        self.loop = loop
        self.socket = socket
        self.tls = tls
        self.machine = TLSConnectionStateMachine(
            handshakeTimeout: handshakeTimeout,
            now: Deadline.now().uptimeNanoseconds
        )
    }

    func armHandshakeTimer() {
        guard let deadline = machine.handshakeDeadline else { return }
        timer = loop.scheduleTimer(deadline: Deadline(uptimeNanoseconds: deadline)) { [weak self] in
            guard let self else { return }
            self.perform(self.machine.timerFired(now: Deadline.now().uptimeNanoseconds))
        }
    }

    func readable() { advance() }
    func writable() { advance() }
    func hangup() { perform(.close(.peerClosed)) }

    private func advance() {
        switch machine.state {
        case .handshaking:
            let action = machine.handshakeResult(tls.handshake(), now: Deadline.now().uptimeNanoseconds)
            perform(action)
            if action == .handshakeCompleted { echo() }
        case .open:
            echo()
        case .closing:
            perform(machine.shutdownResult(tls.shutdown()))
        case .closed:
            break
        }
    }

    private func echo() {
        while machine.state == .open {
            if !pending.isEmpty {
                switch tls.write(pending) {
                case .complete(let count):
                    pending.removeFirst(count)
                    continue
                case .incomplete(let want): return perform(.wait(want))
                case .failed: return perform(.close(.failed))
                }
            }
            let result = buffer.withUnsafeMutableBytes { tls.read(into: $0) }
            if case .complete(let count) = result, count > 0 {
                pending.append(contentsOf: buffer.prefix(count))
                continue
            }
            perform(machine.readResult(result))
            return
        }
    }

    private func perform(_ action: TLSConnectionStateMachine.Action) {
        switch action {
        case .none, .handshakeCompleted:
            if let timer, machine.handshakeDeadline == nil {
                loop.cancelTimer(timer)
                self.timer = nil
            }
        case .wait(let want):
            try? loop.modify(descriptor: socket.fileDescriptor, interest: want == .read ? .readable : .writable)
        case .sendCloseNotify:
            perform(machine.shutdownResult(tls.shutdown()))
        case .close:
            if let timer { loop.cancelTimer(timer) }
            try? loop.deregister(descriptor: socket.fileDescriptor)
            try? socket.close()
        }
    }
}

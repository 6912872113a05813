import Glibc
package import HTTPCore
package import Logging
import Synchronization
package import SystemIO

/// An HTTP/1.1 server (optionally HTTPS) on an ``EventLoopGroup``: one `SO_REUSEPORT` listener per loop.
///
/// The API and the policy edge share it. Requests on one connection are answered one at a time (pipelined
/// requests wait in the buffer); limits and timeouts come from ``HTTPServerConfiguration``.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(address: address), group: group, responder: responder)
/// try server.start()
/// ```
package final class HTTPServer: Sendable {
    private let shared: HTTPServerShared
    private let group: EventLoopGroup
    private let listeners = Mutex<[ServerSocket]>([])
    private let boundAddress = Mutex<SocketAddress?>(nil)

    /// Creates a server; nothing listens before ``start()``.
    ///
    /// - Parameters:
    ///   - configuration: Address, TLS, limits, timeouts and caps.
    ///   - group: The loops; each gets a listener of its own.
    ///   - responder: Answers the requests.
    ///   - execution: Where the responder runs.
    ///   - accessLog: Where each loop writes a line per response.
    ///   - logger: Where the server reports what an operator must know (the listener pausing on `EMFILE`).
    package init(
        configuration: HTTPServerConfiguration,
        group: EventLoopGroup,
        responder: any HTTPResponder,
        execution: ResponderExecution = .inline,
        accessLog: AccessLog? = nil,
        logger: Logger? = nil
    ) {
        self.group = group
        shared = HTTPServerShared(
            configuration: configuration,
            responder: responder,
            execution: execution,
            accessLog: accessLog,
            loops: group.loops,
            logger: logger
        )
    }

    /// Counters for `/metrics`.
    package var metrics: HTTPServerMetrics { shared.metrics }

    /// The address actually bound (with the real port when port 0 was asked for); nil before `start()`.
    package var localAddress: SocketAddress? { boundAddress.withLock { $0 } }

    /// Binds the listeners and starts accepting on every loop.
    /// - Throws: `SystemError` when the address cannot be bound.
    package func start() throws {
        var address = shared.configuration.address
        var sockets: [ServerSocket] = []
        for _ in group.loops {
            let socket = try ServerSocket(bindingTo: address, reusePort: group.loops.count > 1)
            if address.port == 0 { address = socket.localAddress }
            sockets.append(socket)
        }
        listeners.withLock { $0 = sockets }
        boundAddress.withLock { $0 = address }
        for (loop, socket) in zip(group.loops, sockets) {
            let shared = self.shared
            let transfer = SocketTransfer(socket: socket)
            loop.execute {
                let acceptor = HTTPServerAcceptor(loop: loop, listener: transfer.socket, shared: shared)
                do {
                    try loop.register(acceptor, descriptor: transfer.socket.fileDescriptor, interest: .readable)
                } catch {
                    shared.metrics.connectionRejected()
                }
            }
        }
    }

    /// Stops accepting, lets in-flight requests finish (their responses close the connection), closes idle
    /// connections, and waits up to `gracePeriod` for the rest before closing them.
    package func shutdown(gracePeriod: Duration = .seconds(10)) {
        let sockets = listeners.withLock { sockets -> [ServerSocket] in
            defer { sockets.removeAll() }
            return sockets
        }
        for (loop, socket) in zip(group.loops, sockets) {
            let transfer = SocketTransfer(socket: socket)
            let shared = self.shared
            loop.execute {
                try? loop.deregister(descriptor: transfer.socket.fileDescriptor)
                try? transfer.socket.close()
                shared.registry(for: loop)?.drainAll()
            }
        }
        let deadline = ContinuousClock.now + gracePeriod
        while shared.metrics.currentConnections > 0 && ContinuousClock.now < deadline {
            usleep(20_000)
        }
        for loop in group.loops {
            let shared = self.shared
            loop.execute { shared.registry(for: loop)?.closeAll() }
        }
    }
}

/// Lets a listening socket cross into its loop's first closure. `ServerSocket` is a Sendable struct.
private struct SocketTransfer: Sendable {
    let socket: ServerSocket
}

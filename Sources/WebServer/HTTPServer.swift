import Glibc
package import HTTPCore
package import Logging
import Synchronization
package import SystemIO

/// An HTTP/1.1 server (optionally HTTPS) on an ``EventLoopGroup``: one listener that every loop accepts from.
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
    private let listener = Mutex<ServerSocket?>(nil)
    private let boundAddress = Mutex<SocketAddress?>(nil)

    /// Creates a server; nothing listens before ``start()``.
    ///
    /// - Parameters:
    ///   - configuration: Address, TLS, limits, timeouts and caps.
    ///   - group: The loops; each accepts from the listener.
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

    /// Binds the listener and starts accepting on every loop. Every loop watches the one socket, each with
    /// ``EventSet/exclusive`` so that a new connection wakes one waiting loop, not all: whichever loop is free
    /// takes the next connection, as nginx's workers share theirs. With a listener per loop (`SO_REUSEPORT`) the
    /// kernel chose the loop by the connection's addresses, and a loop with nothing to do slept while
    /// connections waited in the other's queue.
    /// - Throws: `SystemError` when the address cannot be bound.
    package func start() throws {
        let socket = try ServerSocket(bindingTo: shared.configuration.address, reusePort: false)
        listener.withLock { $0 = socket }
        boundAddress.withLock { $0 = socket.localAddress }
        let interest: EventSet = group.loops.count > 1 ? [.readable, .exclusive] : .readable
        for loop in group.loops {
            let shared = self.shared
            let transfer = SocketTransfer(socket: socket)
            loop.execute {
                let acceptor = HTTPServerAcceptor(
                    loop: loop,
                    listener: transfer.socket,
                    interest: interest,
                    shared: shared
                )
                do {
                    try loop.register(acceptor, descriptor: transfer.socket.fileDescriptor, interest: interest)
                } catch {
                    shared.metrics.connectionRejected()
                }
            }
        }
    }

    /// Stops accepting, lets in-flight requests finish (their responses close the connection), closes idle
    /// connections, and waits up to `gracePeriod` for the rest before closing them.
    package func shutdown(gracePeriod: Duration = .seconds(10)) {
        if let socket = listener.withLock({ socket -> ServerSocket? in
            defer { socket = nil }
            return socket
        }) {
            // Closed by the last loop to stop watching it: a number closed earlier could be reused by a
            // connection on a loop that has yet to deregister it.
            let closer = ListenerCloser(socket: socket, loops: group.loops.count)
            for loop in group.loops {
                let shared = self.shared
                loop.execute {
                    try? loop.deregister(descriptor: closer.socket.fileDescriptor)
                    closer.loopStoppedWatching()
                    shared.registry(for: loop)?.drainAll()
                }
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

/// Closes the shared listener once every loop has stopped watching it.
private final class ListenerCloser: Sendable {
    let socket: ServerSocket
    private let remaining: Atomic<Int>

    init(socket: ServerSocket, loops: Int) {
        self.socket = socket
        remaining = Atomic(loops)
    }

    /// Called by each loop after deregistering the listener; the last one closes it.
    func loopStoppedWatching() {
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            try? socket.close()
        }
    }
}

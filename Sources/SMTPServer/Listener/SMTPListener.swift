import Glibc
package import Logging
import Synchronization
package import SystemIO

/// An inbound SMTP server (RFC 5321) on an ``EventLoopGroup``, for receiving TLS reports by mail (RFC 8460 §5.3):
/// one `SO_REUSEPORT` listener per loop, each connection an ``SMTPConnectionStateMachine`` executed by a thin
/// shell, STARTTLS when a TLS context is configured, and every message handed to an ``SMTPMessageReceiver`` on a
/// ``BlockingPool``.
///
/// Clients are assumed hostile: commands, lines, messages, recipients, errors and idle commands are capped, every
/// wait has a deadline, and the listener caps connections in total and per client.
///
/// ```swift
/// let pool = BlockingPool(numberOfThreads: 2, name: "smtp-delivery", maximumQueued: 32)
/// let listener = SMTPListener(
///     configuration: SMTPListenerConfiguration(
///         address: try SocketAddress(ipAddress: "0.0.0.0", port: 25),
///         session: SMTPSessionConfiguration(hostname: "reports.mtasts.example"),
///         tls: context),
///     group: group, receiver: intake, deliveryPool: pool, logger: logger)
/// try listener.start()
/// …
/// listener.shutdown(gracePeriod: .seconds(10))
/// pool.shutdown()
/// ```
package final class SMTPListener: Sendable {
    private let shared: SMTPListenerShared
    private let group: EventLoopGroup
    private let listeners = Mutex<[ServerSocket]>([])
    private let boundAddress = Mutex<SocketAddress?>(nil)

    /// Creates a listener; nothing listens before ``start()``.
    ///
    /// - Parameters:
    ///   - configuration: Address, session limits and timeouts, TLS and connection caps.
    ///   - group: The loops; each gets a listener of its own.
    ///   - receiver: Judges recipients (on the loop) and takes messages (on `deliveryPool`).
    ///   - deliveryPool: Where ``SMTPMessageReceiver/deliver(_:)`` runs. When its queue is full
    ///     (``BlockingPool/maximumQueued``) a message is refused with 451 4.3.2 at once. The caller owns it and
    ///     shuts it down after ``shutdown(gracePeriod:)``.
    ///   - logger: Where the listener reports accepted messages and what an operator must know.
    package init(
        configuration: SMTPListenerConfiguration,
        group: EventLoopGroup,
        receiver: any SMTPMessageReceiver,
        deliveryPool: BlockingPool,
        logger: Logger? = nil
    ) {
        self.group = group
        shared = SMTPListenerShared(
            configuration: configuration,
            receiver: receiver,
            deliveryPool: deliveryPool,
            loops: group.loops,
            logger: logger
        )
    }

    /// Counters for `/metrics`.
    package var metrics: SMTPListenerMetrics { shared.metrics }

    /// The address actually bound (with the real port when port 0 was asked for); nil before ``start()``.
    package var localAddress: SocketAddress? { boundAddress.withLock { $0 } }

    /// Binds the listeners and starts accepting on every loop. Ignores `SIGPIPE` for the process: OpenSSL writes
    /// to the socket with `write(2)` once a session runs over TLS.
    /// - Throws: `SystemError` when the address cannot be bound.
    package func start() throws {
        Signals.ignoreSIGPIPE()
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
            loop.execute {
                let acceptor = SMTPListenerAcceptor(loop: loop, listener: socket, shared: shared)
                do {
                    try loop.register(acceptor, descriptor: socket.fileDescriptor, interest: .readable)
                } catch {
                    shared.logger?.error("cannot watch the SMTP listener", ["error": "\(error)"])
                }
            }
        }
    }

    /// Stops accepting, ends idle sessions with `421 4.3.2`, lets messages being received or delivered finish
    /// (their sessions end after the reply), and waits up to `gracePeriod` for the rest before closing them.
    ///
    /// Blocks the calling thread, so call it from outside the group's loops.
    package func shutdown(gracePeriod: Duration = .seconds(10)) {
        let sockets = listeners.withLock { sockets -> [ServerSocket] in
            defer { sockets.removeAll() }
            return sockets
        }
        for (loop, socket) in zip(group.loops, sockets) {
            let shared = self.shared
            loop.execute {
                try? loop.deregister(descriptor: socket.fileDescriptor)
                try? socket.close()
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

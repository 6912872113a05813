import Dispatch
import Glibc
package import Logging
import Synchronization
package import SystemIO

/// The authoritative DNS server for the platform's zone: UDP and TCP on every listen address, on every loop of an
/// ``EventLoopGroup`` (`SO_REUSEPORT` sockets, one per loop and address), answering through one
/// ``AuthoritativeResponder``.
///
/// - UDP answers pass the ``ResponseRateLimiter`` first; TCP answers are never rate limited.
/// - TCP follows RFC 7766: length-prefixed messages, several per connection answered in order, a connection cap, an
///   idle timeout and a whole-message deadline (``DNSTCPConnectionLimits``).
/// - The zone content can be replaced at any time with ``updateContent(_:)``: each loop swaps its own reference, so
///   queries read it without a lock, and every query sees either the old content or the new one.
///
/// ```swift
/// let server = try AuthoritativeDNSServer(configuration: configuration, content: snapshot, group: group,
///                                         logger: logger)
/// try server.start()
/// server.updateContent(newSnapshot)           // when the snapshot changes
/// let metrics = server.metrics.prometheusText()  // for /metrics
/// server.shutdown(gracePeriod: .seconds(5))
/// ```
package final class AuthoritativeDNSServer: Sendable {
    private let shared: DNSServerShared
    private let group: EventLoopGroup
    private let contexts: [DNSServerLoopContext]
    private let latestContent: Mutex<any AuthoritativeZoneContent>
    private let boundAddresses = Mutex<[SocketAddress]>([])

    /// How often binding is retried when a kernel-chosen UDP port turns out to be taken for TCP.
    private static let bindAttempts = 16

    /// Creates a server; nothing is bound until ``start()``.
    /// - Parameters:
    ///   - configuration: The zone, listen addresses and limits.
    ///   - content: What to answer from until ``updateContent(_:)`` replaces it.
    ///   - group: The loops to serve on.
    ///   - logger: For start, stop and errors (never one line per query).
    ///   - now: Monotonic nanoseconds for the rate limiter; tests can stop the clock.
    /// - Throws: ``DNSServerError/Code-swift.struct/invalidConfiguration`` when the configuration cannot work.
    package init(
        configuration: AuthoritativeDNSServerConfiguration,
        content: any AuthoritativeZoneContent,
        group: EventLoopGroup,
        logger: Logger,
        now: @escaping @Sendable () -> UInt64 = { Deadline.now().uptimeNanoseconds }
    ) throws(DNSServerError) {
        try configuration.validate()
        self.shared = DNSServerShared(
            responder: try AuthoritativeResponder(zone: configuration.zone),
            configuration: configuration,
            logger: logger,
            now: now
        )
        self.group = group
        self.contexts = group.loops.map { DNSServerLoopContext(loop: $0, content: content) }
        self.latestContent = Mutex(content)
    }

    /// Counters for `/metrics` (``DNSServerMetrics/prometheusText()``).
    package var metrics: DNSServerMetrics { shared.metrics }

    /// The addresses actually bound, in configuration order (real ports when port 0 was asked for); empty before
    /// ``start()``.
    package var localAddresses: [SocketAddress] { boundAddresses.withLock { $0 } }

    /// The content most recently given to the server.
    package var content: any AuthoritativeZoneContent { latestContent.withLock { $0 } }

    /// Binds every address for UDP and TCP and starts answering on every loop; call once.
    ///
    /// Binding happens before this returns, so queries sent afterwards are queued by the kernel even if a loop has
    /// not registered its sockets yet.
    /// - Throws: ``SystemError`` when an address cannot be bound (`EADDRINUSE`, `EADDRNOTAVAIL`, ...); nothing is
    ///   left bound then.
    package func start() throws {
        var bound: [BoundAddress] = []
        for address in shared.configuration.listenAddresses {
            bound.append(try bindWithRetry(address))
        }
        boundAddresses.withLock { $0 = bound.map(\.address) }
        for (index, context) in contexts.enumerated() {
            let sockets = LoopSockets(
                udp: bound.map { $0.udp[index] },
                tcp: bound.map { $0.tcp[index] }
            )
            let shared = self.shared
            context.loop.execute {
                for socket in sockets.udp {
                    let listener = DNSUDPListener(socket: socket, context: context, shared: shared)
                    Self.register(listener, descriptor: socket.descriptor, in: context, shared: shared)
                }
                for socket in sockets.tcp {
                    let acceptor = DNSTCPAcceptor(listener: socket, context: context, shared: shared)
                    Self.register(acceptor, descriptor: socket.descriptor, in: context, shared: shared)
                }
            }
        }
        shared.logger.info(
            "dns server listening",
            [
                "addresses": bound.map(\.address.description).joined(separator: ","),
                "zone": "\(shared.responder.zone.apex)",
            ]
        )
    }

    /// Replaces the content every loop answers from; callable from any thread.
    ///
    /// Each loop switches at its next turn, so a query answered right after this call may still see the old
    /// content, but never a mixture.
    package func updateContent(_ content: any AuthoritativeZoneContent) {
        latestContent.withLock { $0 = content }
        for context in contexts {
            context.loop.execute {
                context.content = content
            }
        }
    }

    /// Stops listening, lets TCP connections write what they have queued, waits up to `gracePeriod` for them to
    /// close, then closes the rest.
    ///
    /// Call from outside the group's loops (it waits for them); the group itself keeps running.
    package func shutdown(gracePeriod: Duration = .seconds(5)) {
        precondition(!group.loops.contains { $0.inEventLoop }, "AuthoritativeDNSServer.shutdown() blocks its loops")
        let deadline = DispatchTime.now() + Self.interval(gracePeriod)
        shared.isShuttingDown.store(true, ordering: .releasing)
        runOnEveryLoop(until: deadline) { $0.stopListeningAndDrain() }
        if shared.metrics.openTCPConnections > 0 {
            _ = shared.drained.wait(timeout: deadline)
        }
        runOnEveryLoop(until: .now() + .seconds(1)) { $0.closeAllConnections() }
        boundAddresses.withLock { $0 = [] }
        shared.logger.info("dns server stopped", ["zone": "\(shared.responder.zone.apex)"])
    }

    // MARK: - Internals

    /// Binds `address`, retrying when the port was 0 and the kernel's UDP choice is taken for TCP.
    private func bindWithRetry(_ address: SocketAddress) throws -> BoundAddress {
        var attempt = 1
        while true {
            do {
                return try bind(address)
            } catch let error as SystemError where error.errno == EADDRINUSE && address.port == 0 {
                guard attempt < Self.bindAttempts else { throw error }
                attempt += 1
            }
        }
    }

    /// One UDP socket and one TCP listener per loop on `address`, all on the same port.
    private func bind(_ address: SocketAddress) throws -> BoundAddress {
        let reusePort = contexts.count > 1
        let first = try DatagramSocket(bindingTo: address, reusePort: reusePort)
        let resolved = address.withPort(try first.localAddress().port)
        var udp = [first]
        for _ in 1..<contexts.count {
            udp.append(try DatagramSocket(bindingTo: resolved, reusePort: reusePort))
        }
        var tcp: [ServerSocket] = []
        for _ in contexts {
            tcp.append(try ServerSocket(bindingTo: resolved, reusePort: reusePort))
        }
        return BoundAddress(address: resolved, udp: udp, tcp: tcp)
    }

    /// Registers a listener on its loop; a failure leaves that one socket unserved and is logged.
    private static func register(
        _ handler: any EventHandler,
        descriptor: FileDescriptor,
        in context: DNSServerLoopContext,
        shared: DNSServerShared
    ) {
        do {
            try context.addListener(handler, descriptor: descriptor)
        } catch {
            try? descriptor.close()
            shared.logger.error("dns listener registration failed", ["error": "\(error)"])
        }
    }

    /// `duration` for Dispatch, clamped to zero and to `Int.max` nanoseconds.
    private static func interval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return .nanoseconds(0) }
        let (scaled, overflow) = Int(clamping: seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carry) = scaled.addingReportingOverflow(Int(attoseconds / 1_000_000_000))
        return .nanoseconds(overflow || carry ? .max : total)
    }

    /// Runs `work` on every loop and waits until all have run it or `deadline` passes.
    private func runOnEveryLoop(
        until deadline: DispatchTime,
        _ work: @escaping @Sendable (DNSServerLoopContext) -> Void
    ) {
        let finished = DispatchGroup()
        for context in contexts {
            finished.enter()
            context.loop.execute {
                work(context)
                finished.leave()
            }
        }
        _ = finished.wait(timeout: deadline)
    }
}

/// One listen address once bound: the address with its real port, and a UDP socket and a TCP listener per loop.
private struct BoundAddress {
    let address: SocketAddress
    let udp: [DatagramSocket]
    let tcp: [ServerSocket]
}

/// The sockets one loop registers, carried into its first closure (both socket types are Sendable structs).
private struct LoopSockets: Sendable {
    let udp: [DatagramSocket]
    let tcp: [ServerSocket]
}

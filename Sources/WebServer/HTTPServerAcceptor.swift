import Glibc
import HTTPCore
import Logging
import SystemIO
import TLS

/// Accepts the connections of one loop's listener: applies the server's cap and the per-address cap before any
/// TLS, then hands each connection to its shell; pauses the listener while `accept` keeps failing.
///
/// Loop-confined (every method runs on `loop`'s thread). The listener is level-triggered, so a failure that
/// leaves the connection queued (out of descriptors, `EMFILE`) would be reported again at once and spin the
/// loop: ``AcceptBackoffStateMachine`` decides when to stop watching the listener, and a loop timer watches it
/// again. The server logs the first pause of each such episode and the accept that ends it.
///
/// ```swift
/// let acceptor = HTTPServerAcceptor(loop: loop, listener: socket, interest: .readable, shared: shared)
/// try loop.register(acceptor, descriptor: socket.fileDescriptor, interest: .readable)
/// ```
final class HTTPServerAcceptor: EventHandler {
    private let loop: EventLoop
    private let listener: ServerSocket
    private let interest: EventSet
    private let acceptsPerEvent: Int
    private let shared: HTTPServerShared
    private let registry: ConnectionRegistry?
    private let scratch: ScratchBuffer
    private var backoff: AcceptBackoffStateMachine

    /// Creates the acceptor of `listener`, registered with `loop` for `interest` by the caller
    /// (``EventSet/exclusive`` when other loops accept from it too).
    init(loop: EventLoop, listener: ServerSocket, interest: EventSet, shared: HTTPServerShared) {
        self.loop = loop
        self.listener = listener
        self.interest = interest
        acceptsPerEvent = Self.acceptsPerEvent(sharedListener: interest.contains(.exclusive))
        self.shared = shared
        self.registry = shared.registry(for: loop)
        scratch = ScratchBuffer(accessLog: shared.accessLog)
        backoff = AcceptBackoffStateMachine(configuration: shared.configuration.acceptBackoff)
    }

    /// Connections accepted per readiness event. The listener is level-triggered, so the rest are reported again
    /// by the next wait, after the events already pending: handshakes in progress then go on between new
    /// connections instead of queueing behind a burst of them. A lone loop takes up to four (against 256 it cut
    /// the p99 of a new TLS connection per request by a quarter, at 1.02–1.07× req/s; against one, 1.00–1.06×
    /// nginx's req/s instead of 0.94–0.99×). Loops sharing the listener take one each, as nginx's workers do, so
    /// that the next connection goes to whichever loop waits next instead of to a burst on the loop that is
    /// awake (`ab.sh`, new connection per request, against four: 1.02×; against four each from a listener per
    /// loop: 1.08× req/s, the server's CPU per connection lower in 9 of 10 pairs).
    static func acceptsPerEvent(sharedListener: Bool) -> Int { sharedListener ? 1 : 4 }

    /// Accepts what is pending, up to `acceptsPerEvent` connections.
    func readable() {
        for _ in 0..<acceptsPerEvent {
            let accepted: IOResult<(socket: Socket, peer: SocketAddress)>
            do {
                accepted = try listener.acceptWithPeerAddress()
            } catch {
                let code = (error as? SystemError)?.errno ?? EIO
                switch backoff.acceptFailed(errno: code, now: loop.now) {
                case .acceptNext:
                    continue
                case .pause(let until, let startsEpisode):
                    pause(until: until, startsEpisode: startsEpisode, error: error)
                    return
                }
            }
            guard case .processed(let (socket, address)) = accepted else { return }
            if backoff.isBackingOff, let episode = backoff.accepted(now: loop.now) {
                shared.logger?.notice(
                    "accepting connections again",
                    [
                        "listener": listener.localAddress.description, "failures": String(episode.failures),
                        "ms": String(episode.duration / 1_000_000),
                    ]
                )
            }
            admit(socket, from: address)
        }
    }

    /// Never requested for a listener.
    func writable() {}

    /// Not reported for a listening socket; nothing to do.
    func hangup() {}

    // MARK: - Admission

    /// Applies the caps, then starts the connection's shell.
    private func admit(_ socket: Socket, from address: SocketAddress) {
        if shared.metrics.connectionOpened() > shared.configuration.maxConnections {
            shared.metrics.connectionClosed()
            shared.metrics.connectionRejected()
            try? socket.close()
            return
        }
        let client = ClientAddress(address)
        let isTrustedProxy =
            !shared.configuration.trustedProxies.isEmpty && shared.configuration.trustedProxies.contains(client)
        var holdsAddressSlot = false
        // A trusted proxy carries many clients; it is only held to the server's cap.
        if let table = shared.connectionsPerAddress, !isTrustedProxy {
            guard table.acquire(client.limitPrefix) else {
                shared.metrics.connectionClosed()
                shared.metrics.connectionRejectedPerAddress()
                try? socket.close()
                return
            }
            holdsAddressSlot = true
        }
        let peer = ConnectionPeer(
            text: address.ipAddress,
            address: client,
            isTrustedProxy: isTrustedProxy,
            holdsAddressSlot: holdsAddressSlot
        )
        try? socket.setNoDelay(true)
        var tls: TLSConnection?
        if let context = shared.configuration.tls {
            // Buffered: a connection's session ticket, response and close_notify leave in one write (the
            // connection flushes before it waits for the client).
            tls = try? TLSConnection(context: context, fd: socket.fileDescriptor, buffersWrites: true)
            if tls == nil {
                shared.connectionClosed(peer)
                try? socket.close()
                return
            }
        }
        let connection = HTTPServerConnection(
            loop: loop,
            transport: SocketTransport(socket: socket, tls: tls),
            shared: shared,
            scratch: scratch,
            peer: peer,
            registry: registry
        )
        do {
            try loop.register(
                connection,
                descriptor: socket.fileDescriptor,
                interest: HTTPServerConnectionStateMachine.initialInterest
            )
        } catch {
            shared.connectionClosed(peer)
            try? socket.close()
            return
        }
        registry?.insert(connection)
        connection.start()
    }

    // MARK: - Pausing

    /// Stops watching the listener until `until`.
    private func pause(until: UInt64, startsEpisode: Bool, error: any Error) {
        try? loop.modify(descriptor: listener.fileDescriptor, interest: interest.subtracting(.readable))
        shared.metrics.acceptPaused(startsEpisode: startsEpisode)
        if startsEpisode {
            shared.logger?.warning(
                "accept failed; pausing the listener",
                [
                    "listener": listener.localAddress.description, "error": "\(error)",
                    "pause_ms": String(until.subtractingReportingOverflow(loop.now).partialValue / 1_000_000),
                ]
            )
        }
        loop.scheduleTimer(deadline: Deadline(uptimeNanoseconds: until)) { [self] in
            // Shutdown deregisters the listener on every loop and the last loop closes it; its number may
            // belong to another descriptor by now.
            guard !listener.descriptor.isClosed else { return }
            try? loop.modify(descriptor: listener.fileDescriptor, interest: interest)
        }
    }
}

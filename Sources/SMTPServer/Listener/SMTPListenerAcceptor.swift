import Glibc
import HTTPCore
import Logging
import SystemIO

/// Accepts the connections of one loop's listener: applies the listener's cap and the per-address cap (a refused
/// client gets `421 4.7.0` and the connection is closed), then starts each connection's session; pauses the
/// listener while `accept` keeps failing.
///
/// Loop-confined (every method runs on `loop`'s thread). The listener is level-triggered, so a failure that leaves
/// the connection queued (out of descriptors, `EMFILE`) would be reported again at once and spin the loop:
/// ``AcceptBackoffStateMachine`` decides when to stop watching the listener, and a loop timer watches it again.
///
/// ```swift
/// let acceptor = SMTPListenerAcceptor(loop: loop, listener: socket, shared: shared)
/// try loop.register(acceptor, descriptor: socket.fileDescriptor, interest: .readable)
/// ```
final class SMTPListenerAcceptor: EventHandler {
    private let loop: EventLoop
    private let listener: ServerSocket
    private let shared: SMTPListenerShared
    private let registry: ConnectionRegistry?
    private let scratch = SMTPScratchBuffer()
    private var backoff: AcceptBackoffStateMachine

    /// Creates the acceptor of `listener`, registered with `loop` by the caller.
    init(loop: EventLoop, listener: ServerSocket, shared: SMTPListenerShared) {
        self.loop = loop
        self.listener = listener
        self.shared = shared
        self.registry = shared.registry(for: loop)
        backoff = AcceptBackoffStateMachine(configuration: shared.configuration.acceptBackoff)
    }

    /// Accepts what is pending, up to 64 connections per readiness event so other descriptors get their turn.
    func readable() {
        for _ in 0..<64 {
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
                    "accepting SMTP connections again",
                    ["listener": listener.localAddress.description, "failures": String(episode.failures)]
                )
            }
            admit(socket, from: ClientAddress(address))
        }
    }

    /// Never requested for a listener.
    func writable() {}

    /// Not reported for a listening socket; nothing to do.
    func hangup() {}

    // MARK: - Admission

    /// Applies the caps, then starts the connection's session.
    private func admit(_ socket: Socket, from client: ClientAddress) {
        let metrics = shared.metrics
        if metrics.connectionOpened() > shared.configuration.maxConnections {
            refuse(socket, perAddress: false)
            return
        }
        var holdsAddressSlot = false
        if let table = shared.connectionsPerAddress {
            guard table.acquire(client.limitPrefix) else {
                refuse(socket, perAddress: true)
                return
            }
            holdsAddressSlot = true
        }
        let peer = SMTPConnectionPeer(address: client, holdsAddressSlot: holdsAddressSlot)
        try? socket.setNoDelay(true)
        let connection = SMTPConnection(
            loop: loop,
            transport: SMTPSocketTransport(socket: socket),
            shared: shared,
            scratch: scratch,
            peer: peer,
            registry: registry
        )
        do {
            try loop.register(
                connection,
                descriptor: socket.fileDescriptor,
                interest: SMTPConnectionStateMachine.initialInterest
            )
        } catch {
            shared.connectionClosed(peer)
            try? socket.close()
            return
        }
        registry?.insert(connection)
        connection.start()
    }

    /// Tells the client to come back later and closes: one non-blocking write into a fresh socket buffer, which
    /// has room for it.
    private func refuse(_ socket: Socket, perAddress: Bool) {
        shared.metrics.connectionClosed()
        shared.metrics.connectionRejected(perAddress: perAddress)
        _ = try? socket.write(
            SMTPServerReply.tooManyConnections(hostname: shared.configuration.session.hostname).encoded()
        )
        try? socket.close()
    }

    // MARK: - Pausing

    /// Stops watching the listener until `until`.
    private func pause(until: UInt64, startsEpisode: Bool, error: any Error) {
        try? loop.modify(descriptor: listener.fileDescriptor, interest: [])
        shared.metrics.acceptPaused()
        if startsEpisode {
            shared.logger?.warning(
                "SMTP accept failed; pausing the listener",
                ["listener": listener.localAddress.description, "error": "\(error)"]
            )
        }
        loop.scheduleTimer(deadline: Deadline(uptimeNanoseconds: until)) { [self] in
            // Shutdown deregisters and closes the listener on this thread; its number may belong to another
            // descriptor by now.
            guard !listener.descriptor.isClosed else { return }
            try? loop.modify(descriptor: listener.fileDescriptor, interest: .readable)
        }
    }
}

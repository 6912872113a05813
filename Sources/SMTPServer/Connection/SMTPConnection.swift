import Logging
import SystemIO

/// One accepted connection's I/O shell: it executes the actions of its ``SMTPConnectionStateMachine`` and feeds
/// their outcomes back as events. The machines decide everything else: the replies, when to read and write,
/// STARTTLS, the deliveries, timeouts, the interest set and closing.
///
/// Loop-confined: every method runs on `loop`'s thread, and so does the receiver's recipient verdict. A delivery
/// runs on the listener's pool; its verdict comes back to the loop through ``LoopBound``. Readiness is
/// level-triggered, and the machine keeps the interest set to exactly what the connection waits for.
///
/// ```swift
/// let connection = SMTPConnection(loop: loop, transport: SMTPSocketTransport(socket: socket), shared: shared,
///                                 scratch: scratch, peer: peer, registry: registry)
/// try loop.register(connection, descriptor: socket.fileDescriptor, interest: .readable)
/// connection.start()
/// ```
final class SMTPConnection: EventHandler {
    private typealias Machine = SMTPConnectionStateMachine

    private let loop: EventLoop
    private let transport: SMTPSocketTransport
    private let shared: SMTPListenerShared
    private let scratch: SMTPScratchBuffer
    private let peer: SMTPConnectionPeer
    private let registry: ConnectionRegistry?
    private var machine: Machine
    private var timer: TimerID?
    /// The session's statistics already added to the listener's counters.
    private var reported = SMTPSessionStateMachine.Statistics()
    private var hasReportedTLS = false

    /// Creates the shell; the session's deadlines start now.
    ///
    /// - Parameters:
    ///   - loop: The loop the descriptor is registered with (``SMTPConnectionStateMachine/initialInterest``).
    ///   - transport: The accepted socket.
    ///   - shared: The listener's configuration, receiver, pool and counters.
    ///   - scratch: The loop's read buffer.
    ///   - peer: The TCP peer, and whether it holds a per-address slot to release on close.
    ///   - registry: Where the listener tracks its open connections; this one removes itself on close.
    init(
        loop: EventLoop,
        transport: SMTPSocketTransport,
        shared: SMTPListenerShared,
        scratch: SMTPScratchBuffer,
        peer: SMTPConnectionPeer,
        registry: ConnectionRegistry?
    ) {
        let configuration = shared.configuration
        self.loop = loop
        self.transport = transport
        self.shared = shared
        self.scratch = scratch
        self.peer = peer
        self.registry = registry
        let session = SMTPSessionStateMachine(
            configuration: configuration.session,
            clientAddress: peer.address,
            isTLSAvailable: configuration.tls != nil,
            now: loop.now
        )
        machine = Machine(
            session: session,
            handshakeTimeout: configuration.handshakeTimeout,
            sendTimeout: configuration.sendTimeout
        )
    }

    /// Sends the greeting and arms the first timer; call once the descriptor is registered.
    func start() {
        let now = loop.now
        execute(machine.start(now: now), now: now)
    }

    // MARK: - Events

    /// The descriptor is readable.
    func readable() {
        let now = loop.now
        execute(machine.transportReady(now: now), now: now)
    }

    /// The descriptor is writable.
    func writable() {
        let now = loop.now
        execute(machine.transportReady(now: now), now: now)
    }

    /// The descriptor hung up or failed.
    func hangup() {
        let now = loop.now
        execute(machine.transportHungUp(now: now), now: now)
    }

    private func timerFired() {
        timer = nil
        let now = loop.now
        execute(machine.timerFired(now: now), now: now)
    }

    private func deliveryFinished(_ verdict: SMTPDeliveryVerdict, for message: SMTPReceivedMessage) {
        if case .accepted(let id) = verdict {
            shared.logger?.info(
                "SMTP message accepted",
                [
                    "client": peer.text, "helo": message.heloName, "from": message.reversePath.description,
                    "recipients": String(message.recipients.count), "bytes": String(message.content.count),
                    "tls": message.usesTLS ? (transport.negotiatedProtocolVersion ?? "yes") : "no", "id": id,
                ]
            )
        }
        let now = loop.now
        execute(machine.deliveryFinished(verdict, now: now), now: now)
    }

    // MARK: - Executing actions

    /// Runs actions until the machine waits for the loop or closes; `now` is read once per event.
    private func execute(_ first: Machine.Action, now: UInt64) {
        var action = first
        defer { reportStatistics() }
        while true {
            switch action {
            case .read:
                let result = scratch.bytes.withUnsafeMutableBytes { transport.read(into: $0) }
                action = machine.readResult(result, buffer: scratch.bytes, now: now)
            case .write:
                let result = machine.pendingOutput.withUnsafeBytes { transport.write($0) }
                action = machine.writeResult(result, now: now)
            case .verifyRecipient(let path, let info):
                let verdict = shared.receiver.verdict(forRecipient: path, session: info)
                action = machine.recipientVerdict(verdict, now: now)
            case .deliver(let message):
                action = submit(message, now: now)
            case .startTLS:
                let started = shared.configuration.tls.map { transport.startTLS(context: $0) } ?? false
                action = machine.tlsStartResult(succeeded: started, now: now)
            case .handshake:
                action = machine.handshakeResult(transport.handshake(), now: now)
                if machine.usesTLS, !hasReportedTLS {
                    hasReportedTLS = true
                    shared.metrics.tlsSessionStarted()
                }
            case .sendCloseNotify:
                action = machine.closeNotifyResult(transport.sendCloseNotify())
            case .wait(let interest, let deadline):
                wait(interest: interest, timer: deadline)
                return
            case .close(let reason):
                close(reason)
                return
            }
        }
    }

    /// Hands the message to the receiver on the pool; refused at once when the pool's queue is full.
    private func submit(_ message: SMTPReceivedMessage, now: UInt64) -> Machine.Action {
        let receiver = shared.receiver
        let bound = LoopBound(self, loop: loop)
        let loop = self.loop
        let queued = shared.deliveryPool.trySubmit {
            let verdict = receiver.deliver(message)
            loop.execute { bound.value.deliveryFinished(verdict, for: message) }
        }
        guard queued else {
            shared.metrics.deliveryDeferred()
            return machine.deliveryRefused(now: now)
        }
        return machine.deliverySubmitted(now: now)
    }

    private func wait(interest: EventSet?, timer deadline: UInt64?) {
        if let interest {
            try? loop.modify(descriptor: transport.descriptor, interest: interest)
        }
        guard let deadline else { return }
        if let timer { loop.cancelTimer(timer) }
        timer = loop.scheduleTimer(deadline: Deadline(uptimeNanoseconds: deadline)) { [weak self] in
            self?.timerFired()
        }
    }

    private func close(_ reason: Machine.CloseReason) {
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        try? loop.deregister(descriptor: transport.descriptor)
        transport.close()
        shared.metrics.sessionClosed(reason: reason.metricName)
        shared.connectionClosed(peer)
        registry?.remove(self)
        shared.logger?.debug("SMTP connection closed", ["client": peer.text, "reason": reason.metricName])
    }

    /// Adds what the session did since the last report to the listener's counters.
    private func reportStatistics() {
        let current = machine.session.statistics
        guard current != reported else { return }
        shared.metrics.record(current.subtracting(reported))
        reported = current
    }
}

// MARK: - Shutdown

extension SMTPConnection: DrainableConnection {
    /// Ends an idle session now with 421, a busy one after its current message.
    func drain() {
        let now = loop.now
        execute(machine.shutdownRequested(now: now), now: now)
    }

    /// Closes the connection at once (end of a shutdown's grace period).
    func forceClose() {
        execute(machine.abort(), now: loop.now)
    }
}

import SystemIO
import TLS

/// One accepted SMTP connection as a pure state machine that returns actions: it runs the
/// ``SMTPSessionStateMachine`` over a transport, and owns what the session leaves to the transport: reading only
/// when the session waits for input, writing its replies with backpressure, the STARTTLS handshake and
/// close_notify, the interest set and the one timer.
///
/// - Replies are queued while the session answers pipelined commands and written when it waits for input (RFC 2920
///   §3.2), or earlier once 16 KiB are queued. Nothing is read while replies are unwritten, so a client that sends
///   without reading stops being read once its socket buffer is full, and one that never reads is closed when
///   the send timeout passes.
/// - While a message is with the receiver, nothing is read and the descriptor is watched for nothing; a hang-up
///   then closes the connection (the verdict is dropped).
/// - STARTTLS: the session's 220 is written in full, then the shell creates the TLS connection on the socket
///   (``Action/startTLS``) and the handshake runs under ``TLSConnectionStateMachine``'s deadline. The session has
///   already discarded any plaintext that followed the command; bytes still in the socket reach OpenSSL as TLS
///   records, and a handshake over them fails.
/// - A session that ends writes its last replies, then sends close_notify over TLS; failures and timeouts of the
///   transport close at once.
///
/// The shell (``SMTPConnection``) executes each ``Action`` and feeds the outcome back through the matching event.
/// There is no I/O and no clock inside: `now` is monotonic nanoseconds, passed in.
///
/// ```swift
/// var machine = SMTPConnectionStateMachine(session: session, handshakeTimeout: .seconds(10),
///                                          sendTimeout: .seconds(30))
/// var action = machine.start(now: clock.now)
/// while true {
///     switch action {
///     case .read: action = machine.readResult(transport.read(into: buffer), buffer: bytes, now: clock.now)
///     case .write: action = machine.writeResult(transport.write(machine.pendingOutput), now: clock.now)
///     case .wait(let interest, let timer): apply(interest, timer); return
///     …
///     }
/// }
/// ```
struct SMTPConnectionStateMachine: Sendable {
    /// What the shell must do next. Every case but ``wait(interest:timer:)`` and ``close(_:)`` is one operation whose
    /// outcome goes back to the machine as an event.
    enum Action: Sendable, Hashable {
        /// Read into the scratch buffer, then ``readResult(_:buffer:now:)``.
        case read
        /// Write ``pendingOutput``, then ``writeResult(_:now:)``.
        case write
        /// Ask the receiver (on the loop), then ``recipientVerdict(_:now:)``.
        case verifyRecipient(SMTPPath, SMTPSessionInfo)
        /// Submit the message to the delivery pool, then ``deliverySubmitted(now:)`` (or ``deliveryRefused(now:)``
        /// when the pool's queue is full); its verdict comes back through ``deliveryFinished(_:now:)``.
        case deliver(SMTPReceivedMessage)
        /// Create the TLS connection on the socket, then ``tlsStartResult(succeeded:now:)``.
        case startTLS
        /// Advance the TLS handshake, then ``handshakeResult(_:now:)``.
        case handshake
        /// Send close_notify, then ``closeNotifyResult(_:)``.
        case sendCloseNotify
        /// Return to the event loop, first setting the interest set to `interest` and arming the timer for `timer`
        /// (monotonic nanoseconds, replacing the armed one) when they are not nil.
        case wait(interest: EventSet?, timer: UInt64?)
        /// Cancel the timer, deregister and close the transport; no event follows.
        case close(CloseReason)
    }

    /// Why the connection closed.
    enum CloseReason: Sendable, Hashable {
        /// The session ended (QUIT, a timeout, too many errors, the client's close, shutdown …).
        case session(SMTPSessionStateMachine.CloseReason)
        /// The STARTTLS handshake failed or timed out, or the TLS connection could not be created.
        case handshakeFailed(TLSConnectionStateMachine.CloseReason)
        /// TLS failed after the handshake.
        case tls(TLSConnectionStateMachine.CloseReason)
        /// A read or write failed, or the descriptor hung up while a message was with the receiver.
        case transportFailed
        /// The client did not read the replies within the send timeout.
        case sendTimedOut
        /// The listener's shutdown grace period ended.
        case aborted
    }

    /// Where the connection is.
    private enum State: Sendable, Hashable {
        /// The session reads and writes as it asks.
        case running
        /// A message is with the receiver.
        case awaitingDelivery
        /// The 220 for STARTTLS is being written; the handshake follows.
        case startingTLS
        /// The handshake waits for the transport.
        case handshaking(TLSWant)
        /// The session's last replies are being written.
        case closing(CloseReason)
        /// close_notify is being sent; the connection closes for the reason next.
        case closingTLS(CloseReason)
        /// Closed; every event is ignored.
        case closed
    }

    /// Whether more bytes can be read, and when.
    private enum Input: Sendable, Hashable {
        /// Read when the transport is ready: readable, or writable when TLS must write to read.
        case awaitingReadiness(wantsWrite: Bool)
        /// The last read did not drain the transport: read again without waiting.
        case available
        /// The client finished sending.
        case ended
    }

    /// The interest set the shell registers the descriptor with.
    static var initialInterest: EventSet { .readable }

    /// How many reply bytes are queued before they are written even though commands remain to be answered.
    static let flushThreshold = 16_384

    /// The session this connection carries.
    private(set) var session: SMTPSessionStateMachine
    private let handshakeTimeout: Duration
    private let sendTimeout: Duration
    private var tls: TLSConnectionStateMachine?
    private var state = State.running
    private var input = Input.awaitingReadiness(wantsWrite: false)
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var writeWantsRead = false
    private var sendDeadline: UInt64?
    private var interest = Self.initialInterest
    private var timerDeadline: UInt64?

    /// Creates the machine of a connection whose session was created at accept time.
    ///
    /// - Parameters:
    ///   - session: The session, not yet started.
    ///   - handshakeTimeout: How long a STARTTLS handshake may take.
    ///   - sendTimeout: How long replies may wait for the client to read them, from the last progress.
    init(session: SMTPSessionStateMachine, handshakeTimeout: Duration, sendTimeout: Duration) {
        self.session = session
        self.handshakeTimeout = handshakeTimeout
        self.sendTimeout = sendTimeout
    }

    /// The reply bytes waiting to be written.
    var pendingOutput: ArraySlice<UInt8> {
        outbound[outboundOffset...]
    }

    /// Whether the session runs over TLS.
    var usesTLS: Bool { session.usesTLS }

    // MARK: - Events from the event loop

    /// The descriptor was registered at `now`: the greeting goes out.
    mutating func start(now: UInt64) -> Action {
        advance(now: now)
    }

    /// The transport became readable or writable: retry what the connection waits for.
    mutating func transportReady(now: UInt64) -> Action {
        switch state {
        case .handshaking:
            return .handshake
        case .running, .awaitingDelivery, .startingTLS, .closing:
            if hasPendingOutput { return .write }
            if state == .running, session.isAwaitingInput { return .read }
            return wait()
        case .closingTLS, .closed:
            return Self.unchanged
        }
    }

    /// The descriptor reported a hang-up or an error and is still registered.
    mutating func transportHungUp(now: UInt64) -> Action {
        // Nothing touches the socket while the receiver works, and the hang-up stays reported until the descriptor
        // is closed: the verdict could not be delivered anyway.
        if state == .awaitingDelivery, !hasPendingOutput { return close(.transportFailed) }
        return transportReady(now: now)
    }

    /// The timer fired at `now` (possibly before the deadline now in force, which it re-arms for).
    mutating func timerFired(now: UInt64) -> Action {
        switch state {
        case .closingTLS, .closed: return Self.unchanged
        case .running, .awaitingDelivery, .startingTLS, .handshaking, .closing: break
        }
        timerDeadline = nil
        if case .handshaking = state {
            if case .close(let reason)? = tls?.timerFired(now: now) { return close(.handshakeFailed(reason)) }
            return wait()
        }
        if let sendDeadline, hasPendingOutput, now >= sendDeadline { return close(.sendTimedOut) }
        switch state {
        case .running, .awaitingDelivery:
            session.timerFired(now: now)
            return advance(now: now)
        default:
            return wait()
        }
    }

    /// The listener is shutting down: an idle session ends now with 421, a busy one after its current message.
    mutating func shutdownRequested(now: UInt64) -> Action {
        session.shutdownRequested()
        switch state {
        case .running: return advance(now: now)
        case .handshaking: return close(.session(.shuttingDown))
        default: return Self.unchanged
        }
    }

    /// The listener's grace period ended: close now, whatever is pending.
    mutating func abort() -> Action {
        guard state != .closed else { return Self.unchanged }
        return close(.aborted)
    }

    // MARK: - Results of the actions

    /// Feeds the result of a read into `buffer` (its first `count` bytes on `.data`).
    mutating func readResult(_ result: TransportRead, buffer: [UInt8], now: UInt64) -> Action {
        guard state == .running else { return Self.unchanged }
        switch result {
        case .data(let count, let isDrained):
            session.receive(buffer[0..<count], now: now)
            input = isDrained ? .awaitingReadiness(wantsWrite: false) : .available
        case .wouldBlock(let wantsWrite):
            input = .awaitingReadiness(wantsWrite: wantsWrite)
            return wait()
        case .endOfStream:
            // Over TLS this is the client's close_notify: the TLS machine moves to closing, and ours goes out
            // after the last replies (`closeGracefully`).
            _ = tls?.readResult(.complete(0))
            input = .ended
        case .failed:
            if case .close(let reason)? = tls?.readResult(.failed(.readFailed)) { return close(.tls(reason)) }
            return close(.transportFailed)
        }
        return advance(now: now)
    }

    /// Feeds the result of writing ``pendingOutput``.
    mutating func writeResult(_ result: TransportWrite, now: UInt64) -> Action {
        switch state {
        case .running, .awaitingDelivery, .startingTLS, .closing: break
        case .handshaking, .closingTLS, .closed: return Self.unchanged
        }
        switch result {
        case .wrote(let count):
            outboundOffset = min(outbound.count, outboundOffset + max(0, count))
            if count > 0 { sendDeadline = now.adding(sendTimeout) }
            writeWantsRead = false
            if hasPendingOutput { return .write }
            outbound.removeAll(keepingCapacity: outbound.capacity <= 65_536)
            outboundOffset = 0
            sendDeadline = nil
            return outputFlushed(now: now)
        case .wouldBlock(let wantsRead):
            writeWantsRead = wantsRead
            return wait()
        case .failed:
            return close(.transportFailed)
        }
    }

    /// The receiver's verdict for the recipient of ``Action/verifyRecipient(_:_:)``.
    mutating func recipientVerdict(_ verdict: SMTPRecipientVerdict, now: UInt64) -> Action {
        guard state == .running else { return Self.unchanged }
        session.recipientVerdict(verdict)
        return advance(now: now)
    }

    /// The message of ``Action/deliver(_:)`` is queued on the delivery pool.
    mutating func deliverySubmitted(now: UInt64) -> Action {
        guard state == .awaitingDelivery else { return Self.unchanged }
        return hasPendingOutput ? startWrite(now: now) : wait()
    }

    /// The message of ``Action/deliver(_:)`` could not be queued (the pool is full): it is refused with 451 4.3.2.
    mutating func deliveryRefused(now: UInt64) -> Action {
        guard state == .awaitingDelivery else { return Self.unchanged }
        session.deliveryRefused(now: now)
        state = .running
        return advance(now: now)
    }

    /// The receiver's verdict for the message; ignored when the connection closed meanwhile.
    mutating func deliveryFinished(_ verdict: SMTPDeliveryVerdict, now: UInt64) -> Action {
        guard state == .awaitingDelivery else { return Self.unchanged }
        session.deliveryFinished(verdict, now: now)
        state = .running
        return advance(now: now)
    }

    /// Whether the TLS connection could be created on the socket after STARTTLS, at `now`.
    mutating func tlsStartResult(succeeded: Bool, now: UInt64) -> Action {
        guard state == .startingTLS else { return Self.unchanged }
        guard succeeded else { return close(.handshakeFailed(.handshakeFailed)) }
        tls = TLSConnectionStateMachine(handshakeTimeout: handshakeTimeout, now: now)
        state = .handshaking(.read)
        return .handshake
    }

    /// Feeds the result of the TLS handshake.
    mutating func handshakeResult(_ result: TLSOperationResult<Void>, now: UInt64) -> Action {
        guard case .handshaking = state, let action = tls?.handshakeResult(result, now: now) else {
            return Self.unchanged
        }
        switch action {
        case .handshakeCompleted, .none:
            state = .running
            session.tlsStarted(now: now)
            // The client's EHLO often arrives with its Finished message, inside OpenSSL already: read now.
            input = .available
            return advance(now: now)
        case .wait(let want):
            state = .handshaking(want)
            return wait()
        case .close(let reason):
            return close(.handshakeFailed(reason))
        case .sendCloseNotify:
            // Not returned while handshaking.
            return close(.tls(.closedLocally))
        }
    }

    /// Feeds the result of sending close_notify; the connection closes either way.
    mutating func closeNotifyResult(_ result: TLSOperationResult<Void>) -> Action {
        guard case .closingTLS(let reason) = state else { return Self.unchanged }
        // Best effort: a close_notify that cannot be written at once is not waited for.
        _ = tls?.shutdownResult(result)
        return close(reason)
    }

    // MARK: - Internals

    private static var unchanged: Action { .wait(interest: nil, timer: nil) }

    private var hasPendingOutput: Bool { outboundOffset < outbound.count }

    /// Runs the session until it needs the transport, the receiver or the loop.
    private mutating func advance(now: UInt64) -> Action {
        while true {
            switch session.next(now: now) {
            case .send(let reply):
                reply.write(into: &outbound)
                if outbound.count - outboundOffset >= Self.flushThreshold { return startWrite(now: now) }
            case .verifyRecipient(let path, let info):
                return .verifyRecipient(path, info)
            case .deliver(let message):
                state = .awaitingDelivery
                return .deliver(message)
            case .awaitDelivery:
                state = .awaitingDelivery
                return hasPendingOutput ? startWrite(now: now) : wait()
            case .startTLS:
                state = .startingTLS
                return hasPendingOutput ? startWrite(now: now) : .startTLS
            case .awaitTLS:
                return hasPendingOutput ? startWrite(now: now) : wait()
            case .awaitInput:
                if hasPendingOutput { return startWrite(now: now) }
                switch input {
                case .available: return .read
                case .awaitingReadiness: return wait()
                case .ended: session.inputClosed()
                }
            case .close(let reason):
                state = .closing(.session(reason))
                return hasPendingOutput ? startWrite(now: now) : closeGracefully(.session(reason))
            }
        }
    }

    /// Every queued reply is written: go on with what waited for it.
    private mutating func outputFlushed(now: UInt64) -> Action {
        switch state {
        case .running: return advance(now: now)
        case .awaitingDelivery: return wait()
        case .startingTLS: return .startTLS
        case .closing(let reason): return closeGracefully(reason)
        case .handshaking, .closingTLS, .closed: return Self.unchanged
        }
    }

    /// Starts writing the queued replies; the send deadline runs from the first write that waits.
    private mutating func startWrite(now: UInt64) -> Action {
        if sendDeadline == nil { sendDeadline = now.adding(sendTimeout) }
        return .write
    }

    /// Ends the connection by the server's choice: over TLS with close_notify first.
    private mutating func closeGracefully(_ reason: CloseReason) -> Action {
        guard let action = tls?.closeRequested() else { return close(reason) }
        switch action {
        case .sendCloseNotify, .none:
            // `.none`: the client's close_notify arrived; ours is still owed.
            state = .closingTLS(reason)
            return .sendCloseNotify
        case .close, .wait, .handshakeCompleted:
            return close(reason)
        }
    }

    private mutating func close(_ reason: CloseReason) -> Action {
        state = .closed
        return .close(reason)
    }

    /// Returns to the loop, changing the interest set and the timer only where they must change.
    private mutating func wait() -> Action {
        let wanted: EventSet
        var deadline: UInt64?
        switch state {
        case .handshaking(let want):
            wanted = want == .read ? .readable : .writable
            deadline = tls?.handshakeDeadline
        case .running, .awaitingDelivery, .startingTLS, .closing:
            if hasPendingOutput {
                wanted = writeWantsRead ? .readable : .writable
            } else if state == .running, session.isAwaitingInput, case .awaitingReadiness(let wantsWrite) = input {
                wanted = wantsWrite ? .writable : .readable
            } else {
                wanted = []
            }
            deadline = session.nextDeadline
            if hasPendingOutput, let sendDeadline { deadline = min(deadline ?? .max, sendDeadline) }
        case .closingTLS, .closed:
            return Self.unchanged
        }
        let interestChange = wanted == interest ? nil : wanted
        interest = wanted
        // A timer armed for an earlier deadline stays: when it fires, `timerFired` re-arms for the later one.
        guard let deadline, deadline < timerDeadline ?? .max else {
            return .wait(interest: interestChange, timer: nil)
        }
        timerDeadline = deadline
        return .wait(interest: interestChange, timer: deadline)
    }
}

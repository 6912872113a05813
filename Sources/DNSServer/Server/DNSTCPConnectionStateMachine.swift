import SystemIO

/// One DNS-over-TCP connection as a pure state machine that returns actions (RFC 7766): it frames the byte stream
/// into messages, hands them out one at a time in the order they came, keeps count of response bytes waiting to be
/// written, and decides the interest set, the timer and when to close.
///
/// - Messages are two-byte length prefixed (RFC 1035 §4.2.2); several may arrive in one read (pipelining, which
///   RFC 7766 §6.2.1.1 requires servers to handle) and are answered in the order they came (§7 would allow any).
/// - A length above ``DNSTCPConnectionLimits/maximumMessageSize`` closes the connection at once.
/// - Three deadlines: idle (no partial message, nothing to write), the whole-message deadline from a message's
///   first byte (so a slowloris client cannot hold the connection by trickling), and write progress while
///   responses wait. The earliest applicable one is armed.
/// - Past ``DNSTCPConnectionLimits/maximumPendingOutput`` queued bytes it stops reading until the client reads.
/// - The peer's end of stream still gets the answers to its complete messages before the close (RFC 7766 §6.2.4);
///   a message the responder will not answer (not a query) closes the connection once the queue is flushed.
///
/// No I/O and no clock inside: `now` is monotonic nanoseconds, passed in. The shell (``DNSTCPConnection``) executes
/// each ``Action`` and reports the outcome through the matching event.
///
/// ```swift
/// var machine = DNSTCPConnectionStateMachine(limits: limits, now: now)
/// var action = machine.start(now: now)
/// while true {
///     switch action {
///     case .read: action = machine.readResult(read(into: &scratch), buffer: scratch, now: now)
///     case .answer(let query): action = machine.responseQueued(byteCount: queue(respond(query)), now: now)
///     case .write: action = machine.writeResult(writePending(), now: now)
///     case .wait(let interest, let deadline): apply(interest, deadline); return
///     case .close(let reason): close(reason); return
///     }
/// }
/// ```
struct DNSTCPConnectionStateMachine: Sendable {
    /// What the shell must do next.
    enum Action: Sendable, Equatable {
        /// Read once into the scratch buffer, then ``readResult(_:buffer:now:)``.
        case read
        /// Answer this message, queue the framed response, then ``responseQueued(byteCount:now:)``.
        case answer([UInt8])
        /// Write once from the queued response bytes, then ``writeResult(_:now:)``.
        case write
        /// Return to the loop with this interest set and the timer armed for `deadline` (monotonic nanoseconds).
        case wait(interest: EventSet, deadline: UInt64)
        /// Cancel the timer, deregister and close; no event follows.
        case close(CloseReason)
    }

    /// What one read produced.
    enum ReadResult: Sendable, Equatable {
        /// This many bytes (at least one) are at the start of the buffer.
        case data(count: Int)
        /// Nothing to read now.
        case wouldBlock
        /// The peer closed its sending side.
        case endOfStream
        /// The read failed (a reset).
        case failed
    }

    /// What one write did.
    enum WriteResult: Sendable, Equatable {
        /// This many queued bytes were written.
        case wrote(Int)
        /// The send buffer is full.
        case wouldBlock
        /// The write failed; the connection is gone.
        case failed
    }

    /// Why the connection closed (also the metric label).
    enum CloseReason: String, Sendable, Equatable, CaseIterable {
        /// No message arrived within the idle timeout.
        case idleTimeout = "idle_timeout"
        /// A message did not complete within the message timeout.
        case messageTimeout = "message_timeout"
        /// Queued responses made no progress within the write timeout.
        case writeTimeout = "write_timeout"
        /// The peer closed and everything owed to it was written.
        case peerClosed = "peer_closed"
        /// A length prefix above the size cap.
        case oversizedMessage = "oversized_message"
        /// A message the responder does not answer (too short, or a response).
        case unanswerable
        /// A read or write failed, or the socket hung up.
        case transportFailed = "transport_failed"
        /// The server shut down.
        case shutdown
    }

    private let limits: DNSTCPConnectionLimits
    private let idleTimeout: UInt64
    private let messageTimeout: UInt64
    private let writeTimeout: UInt64
    /// Received bytes; those before `inboundStart` are consumed.
    private var inbound: [UInt8] = []
    private var inboundStart = 0
    /// Response bytes the shell holds that are not written yet.
    private var pendingOutput = 0
    /// When the partial message at the front of `inbound` began arriving.
    private var messageStartedAt: UInt64?
    /// When the connection last had nothing in flight: the start, a consumed message, a completed write.
    private var idleSince: UInt64
    /// When a write last made progress (or output was first queued).
    private var lastWriteProgress: UInt64
    /// Why input stopped: the peer's end of stream, or a message that is not answered.
    private var inputEnd: CloseReason?
    private var isDraining = false
    private var isAwaitingWritable = false
    private var closeReason: CloseReason?

    /// Creates the machine for a connection accepted at `now`.
    init(limits: DNSTCPConnectionLimits, now: UInt64) {
        self.limits = limits
        self.idleTimeout = limits.idleTimeout.clampedNanoseconds
        self.messageTimeout = limits.messageTimeout.clampedNanoseconds
        self.writeTimeout = limits.writeTimeout.clampedNanoseconds
        self.idleSince = now
        self.lastWriteProgress = now
    }

    // MARK: - Events

    /// The connection is registered; arm the idle timer.
    mutating func start(now: UInt64) -> Action {
        next(now: now)
    }

    /// The socket is readable (or the peer hung up its sending side).
    mutating func readable(now: UInt64) -> Action {
        guard closeReason == nil else { return next(now: now) }
        return isReading ? .read : next(now: now)
    }

    /// The socket is writable.
    mutating func writable(now: UInt64) -> Action {
        isAwaitingWritable = false
        return next(now: now)
    }

    /// The socket reported `EPOLLHUP`/`EPOLLERR` after any readable event was handled: nothing more can be sent.
    mutating func hangup(now: UInt64) -> Action {
        close(.transportFailed)
    }

    /// The outcome of a ``Action/read``; `buffer` holds the bytes of ``ReadResult/data(count:)`` at its start.
    mutating func readResult(_ result: ReadResult, buffer: [UInt8], now: UInt64) -> Action {
        switch result {
        case .data(let count):
            if inboundStart > 0 {
                inbound.removeSubrange(0..<inboundStart)
                inboundStart = 0
            }
            if inbound.isEmpty {
                messageStartedAt = now
            }
            inbound.append(contentsOf: buffer[0..<min(count, buffer.count)])
            return next(now: now)
        case .wouldBlock:
            return next(now: now)
        case .endOfStream:
            inputEnd = inputEnd ?? .peerClosed
            return next(now: now)
        case .failed:
            return close(.transportFailed)
        }
    }

    /// The answer to the last ``Action/answer(_:)`` is queued: `byteCount` framed bytes, or nil when the responder
    /// gave none (the connection then closes once earlier responses are written).
    mutating func responseQueued(byteCount: Int?, now: UInt64) -> Action {
        idleSince = now
        guard let byteCount else {
            inputEnd = .unanswerable
            inbound.removeAll()
            inboundStart = 0
            messageStartedAt = nil
            return next(now: now)
        }
        if pendingOutput == 0 {
            lastWriteProgress = now
        }
        pendingOutput += byteCount
        return next(now: now)
    }

    /// The outcome of a ``Action/write``.
    mutating func writeResult(_ result: WriteResult, now: UInt64) -> Action {
        switch result {
        case .wrote(let count):
            pendingOutput = max(pendingOutput - count, 0)
            if count > 0 {
                lastWriteProgress = now
            }
            if pendingOutput == 0 {
                idleSince = now
            }
            return next(now: now)
        case .wouldBlock:
            isAwaitingWritable = true
            return next(now: now)
        case .failed:
            return close(.transportFailed)
        }
    }

    /// The armed timer fired (possibly for a deadline that has moved since; the machine re-arms then).
    mutating func timerFired(now: UInt64) -> Action {
        guard closeReason == nil else { return next(now: now) }
        if pendingOutput > 0, now >= Self.adding(lastWriteProgress, writeTimeout) {
            return close(.writeTimeout)
        }
        if let started = partialMessageStart, now >= Self.adding(started, messageTimeout) {
            return close(.messageTimeout)
        }
        if pendingOutput == 0, partialMessageStart == nil, !hasCompleteMessage,
            now >= Self.adding(idleSince, idleTimeout)
        {
            return close(.idleTimeout)
        }
        return next(now: now)
    }

    /// The server is shutting down: stop reading, finish what is queued, then close.
    mutating func shutdownRequested(now: UInt64) -> Action {
        isDraining = true
        return next(now: now)
    }

    /// The shutdown grace period ended: close now.
    mutating func abort() -> Action {
        close(.shutdown)
    }

    // MARK: - Deciding

    /// Whether the socket should be read: input open, not shutting down, and the client is keeping up.
    private var isReading: Bool {
        inputEnd == nil && !isDraining && pendingOutput <= limits.maximumPendingOutput
    }

    /// The first message in `inbound`, if complete.
    private var hasCompleteMessage: Bool {
        let available = inbound.count - inboundStart
        guard available >= 2 else { return false }
        return available >= 2 + (Int(inbound[inboundStart]) << 8 | Int(inbound[inboundStart + 1]))
    }

    /// When the incomplete message at the front of `inbound` began arriving; nil when there is none.
    private var partialMessageStart: UInt64? {
        inbound.count > inboundStart && !hasCompleteMessage ? messageStartedAt : nil
    }

    private mutating func next(now: UInt64) -> Action {
        if let closeReason {
            return .close(closeReason)
        }
        if inputEnd != .unanswerable, pendingOutput <= limits.maximumPendingOutput {
            if let action = takeMessage(now: now) {
                return action
            }
        }
        if pendingOutput > 0 {
            if !isAwaitingWritable {
                return .write
            }
        } else if let inputEnd {
            return close(inputEnd)
        } else if isDraining {
            return close(.shutdown)
        }
        var interest: EventSet = []
        if isReading {
            interest.insert(.readable)
        }
        if pendingOutput > 0 {
            interest.insert(.writable)
        }
        return .wait(interest: interest, deadline: deadline)
    }

    /// Removes the first complete message from `inbound` as an ``Action/answer(_:)``, or closes for an oversized
    /// length prefix; nil when no complete message is there.
    private mutating func takeMessage(now: UInt64) -> Action? {
        let available = inbound.count - inboundStart
        guard available >= 2 else { return nil }
        let length = Int(inbound[inboundStart]) << 8 | Int(inbound[inboundStart + 1])
        guard length <= limits.maximumMessageSize else {
            return close(.oversizedMessage)
        }
        guard available >= 2 + length else { return nil }
        let message = Array(inbound[(inboundStart + 2)..<(inboundStart + 2 + length)])
        inboundStart += 2 + length
        if inboundStart == inbound.count {
            inbound.removeAll(keepingCapacity: inbound.capacity <= 65536)
            inboundStart = 0
        }
        // What follows arrived with this message; its own deadline starts now.
        messageStartedAt = now
        return .answer(message)
    }

    /// The earliest deadline that applies now.
    private var deadline: UInt64 {
        var earliest = UInt64.max
        if pendingOutput > 0 {
            earliest = min(earliest, Self.adding(lastWriteProgress, writeTimeout))
        }
        if let started = partialMessageStart {
            earliest = min(earliest, Self.adding(started, messageTimeout))
        }
        if pendingOutput == 0, partialMessageStart == nil, !hasCompleteMessage {
            earliest = min(earliest, Self.adding(idleSince, idleTimeout))
        }
        return earliest
    }

    /// `time + duration`, saturating at `UInt64.max` (a timeout of "forever").
    private static func adding(_ time: UInt64, _ duration: UInt64) -> UInt64 {
        let (sum, overflow) = time.addingReportingOverflow(duration)
        return overflow ? .max : sum
    }

    private mutating func close(_ reason: CloseReason) -> Action {
        closeReason = closeReason ?? reason
        return .close(closeReason ?? reason)
    }
}

extension Duration {
    /// Whole nanoseconds, clamped at zero and at `UInt64.max`.
    fileprivate var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (scaled, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .max }
        let (sum, carry) = scaled.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return carry ? .max : sum
    }
}

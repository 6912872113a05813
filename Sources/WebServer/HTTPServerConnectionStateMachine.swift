import HTTPCore
import SystemIO
import TLS

/// One server connection as a pure state machine that returns actions: the TLS handshake and close_notify, the
/// HTTP/1.1 request cycle and its timeouts, request parsing and read-ahead, response writes, the interest set and
/// the one timer.
///
/// It composes the existing machines rather than repeating them: ``TLSConnectionStateMachine`` owns the handshake
/// deadline and the TLS closing states, ``HTTPConnectionStateMachine`` owns keep-alive and the header, body, idle
/// and send-progress timeouts, the whole-request deadline and the minimum body rate (this machine reports the body
/// bytes the parser decodes), and ``HTTPRequestParser`` frames the requests. What this machine adds is how they
/// share one socket:
/// - requests are answered one at a time: a pipelined request stays in the buffer, unparsed, until the previous
///   response is written;
/// - reads stop at a cap (the header and body limits plus 64 KiB), so a client cannot make the server hold more
///   than one request's worth of bytes ahead of the parser; a read that did not drain the transport (a full
///   buffer, or TLS holding read-ahead bytes that epoll cannot see) is followed by another read, not by a wait;
/// - while a responder works elsewhere (a pool), bytes are still read up to the cap, so a peer's end of stream
///   is seen: the pending response is written with `Connection: close` and the connection closes after it;
/// - a graceful close (not persistent, shutdown, the peer's own close) sends close_notify first over TLS; timeouts
///   and failures close at once, as nginx does;
/// - the interest set and the timer change only when they must: the timer is armed for the earliest deadline and
///   left alone when a later one is needed, firing early once and re-arming instead.
///
/// It lives in WebServer rather than HTTPCore because it composes the TLS machine, and HTTPCore does not depend on
/// TLS. The shell (``HTTPServerConnection``) executes each ``Action`` and feeds the outcome back through the matching
/// event. There is no I/O and no clock inside: `now` is monotonic nanoseconds, passed in.
///
/// ```swift
/// var machine = HTTPServerConnectionStateMachine(limits: limits, timeouts: timeouts, handshakeTimeout: nil, now: now)
/// var action = machine.transportReady()
/// while true {
///     switch action {
///     case .read: action = machine.readResult(transport.read(into: buffer), buffer: bytes, now: now)
///     case .dispatch(let head, let body): action = answer(head, body)
///     case .wait(let interest, let timer): apply(interest, timer); return
///     case .close(let reason): close(reason); return
///     default: …
///     }
/// }
/// ```
struct HTTPServerConnectionStateMachine: Sendable {
    /// What the shell must do next. Every case but ``wait(interest:timer:)`` and ``close(_:)`` is one operation whose
    /// outcome goes back to the machine as an event.
    enum Action: Sendable, Equatable {
        /// Call the transport's `handshake()`, then ``handshakeResult(_:now:)``.
        case handshake
        /// Read into the scratch buffer, then ``readResult(_:buffer:now:)``.
        case read
        /// Hand this request to the responder, then ``responseReady(closesConnection:now:)`` with its response; when
        /// it runs elsewhere, ``responseDeferred()`` first.
        case dispatch(HTTPRequestHead, body: [UInt8])
        /// Serialize a plain-text response with this status and `Connection: close`, write it, then
        /// ``writeResult(_:pendingBytes:now:)``.
        case writeErrorResponse(HTTPStatus)
        /// Write the pending response bytes, then ``writeResult(_:pendingBytes:now:)``.
        case write
        /// Send close_notify, then ``closeNotifyResult(_:)``.
        case sendCloseNotify
        /// Return to the event loop, first setting the interest set to `interest` and arming the timer for `timer`
        /// (monotonic nanoseconds, replacing the armed one) when they are not nil.
        case wait(interest: EventSet?, timer: UInt64?)
        /// Cancel the timer, deregister and close the transport; no event follows.
        case close(CloseReason)
    }

    /// What to do with a response the responder produced.
    enum ResponseDisposition: Sendable, Equatable {
        /// Serialize it (with `Connection: close` unless `keepAlive`), write it, then
        /// ``writeResult(_:pendingBytes:now:)``.
        case send(keepAlive: Bool)
        /// The connection closed while the responder worked: drop the response.
        case discard
    }

    /// Why the connection closed.
    enum CloseReason: Sendable, Equatable {
        /// The TLS handshake failed or timed out (the server counts these by reason).
        case handshakeFailed(TLSConnectionStateMachine.CloseReason)
        /// The HTTP exchange ended: not persistent, a timeout, the peer closed, or the server shut down.
        case http(HTTPConnectionStateMachine.CloseReason)
        /// TLS failed after the handshake.
        case tls(TLSConnectionStateMachine.CloseReason)
        /// A read or write failed, or the descriptor hung up while a responder worked.
        case transportFailed
        /// The server's shutdown grace period ended.
        case aborted
    }

    /// Where the connection is.
    private enum State: Sendable, Equatable {
        /// The TLS handshake waits for the transport.
        case handshaking(TLSWant)
        /// Reading and parsing a request.
        case receiving
        /// A request was dispatched and its response has not arrived.
        case awaitingResponse
        /// Response bytes are pending; `closesAfter` when this response ends the connection.
        case writing(wantsRead: Bool, closesAfter: Bool)
        /// close_notify is being sent; the connection closes for `reason` next.
        case closingTLS(CloseReason)
        /// Closed; every event is ignored.
        case closed
    }

    /// Whether more request bytes can be read, and when.
    private enum Input: Sendable, Equatable {
        /// Read when the transport is ready: readable, or writable when TLS must write to read.
        case awaitingReadiness(wantsWrite: Bool)
        /// The last read stopped at the cap without draining the transport: read again without waiting.
        case available
        /// The peer finished sending (end of stream, or close_notify).
        case ended
    }

    /// The interest set the shell registers the descriptor with.
    static var initialInterest: EventSet { .readable }

    /// When the head of the latest request was parsed (monotonic nanoseconds; 0 before the first), for access logs.
    private(set) var requestStartTime: UInt64 = 0

    /// Whether the connection closes once the response being written is out (`Connection: close`, a refused
    /// request): the shell then appends close_notify to the buffered response.
    var closesAfterWriting: Bool {
        if case .writing(_, let closesAfter) = state { return closesAfter }
        return false
    }

    private var state: State
    private var input = Input.awaitingReadiness(wantsWrite: false)
    private var http: HTTPConnectionStateMachine
    private var tls: TLSConnectionStateMachine?
    private var parser: HTTPRequestParser
    private var inbound = ByteBuffer()
    private var readCap: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var interest = Self.initialInterest
    private var timerDeadline: UInt64?
    /// Buffered transport output could not all be flushed before a wait: the wait includes `.writable` until it is.
    private var outputBlocked = false

    /// Creates the machine for a connection accepted at `now`; the header (and handshake) deadlines start at once.
    ///
    /// - Parameters:
    ///   - limits: The parser's caps; they also bound the read-ahead.
    ///   - timeouts: Header, request, body-progress, body-rate, idle and send-progress timeouts.
    ///   - handshakeTimeout: How long the TLS handshake may take, or nil for plain HTTP.
    ///   - now: Monotonic nanoseconds.
    init(
        limits: HTTPParserLimits,
        timeouts: HTTPConnectionStateMachine.Configuration,
        handshakeTimeout: Duration?,
        now: UInt64
    ) {
        http = HTTPConnectionStateMachine(configuration: timeouts, now: now)
        parser = HTTPRequestParser(limits: limits)
        readCap = limits.headerBytes + limits.bodyBytes + 65_536
        if let handshakeTimeout {
            tls = TLSConnectionStateMachine(handshakeTimeout: handshakeTimeout, now: now)
            state = .handshaking(.read)
        } else {
            state = .receiving
        }
    }

    /// Replaces the parser's limits (a connection routed to an ``HTTPVirtualHost`` once its handshake completed);
    /// only before the first request byte was parsed.
    mutating func adopt(limits: HTTPParserLimits) {
        guard inbound.readableBytes == 0, head == nil else { return }
        parser = HTTPRequestParser(limits: limits)
        readCap = limits.headerBytes + limits.bodyBytes + 65_536
    }

    // MARK: - Events from the event loop

    /// The descriptor was registered: arms the first timer.
    mutating func start() -> Action {
        wait()
    }

    /// The transport became readable or writable: retry what the connection waits for.
    mutating func transportReady() -> Action {
        switch state {
        case .handshaking: .handshake
        case .receiving: .read
        case .awaitingResponse: canReadAhead ? .read : wait()
        case .writing: .write
        case .closingTLS, .closed: Self.unchanged
        }
    }

    /// The descriptor reported a hang-up or an error and is still registered.
    mutating func transportHungUp() -> Action {
        guard case .awaitingResponse = state, !canReadAhead else { return transportReady() }
        // Nothing touches the socket until the responder answers, the hang-up stays reported until the descriptor
        // is closed, and the answer could not be delivered anyway.
        return close(.transportFailed)
    }

    /// The timer fired at `now` (possibly before the deadline now in force, which it re-arms for).
    mutating func timerFired(now: UInt64) -> Action {
        switch state {
        case .closingTLS, .closed: return Self.unchanged
        case .handshaking, .receiving, .awaitingResponse, .writing: break
        }
        timerDeadline = nil
        if case .close(let reason)? = tls?.timerFired(now: now) {
            return close(.handshakeFailed(reason))
        }
        switch http.tick(now: now) {
        case .none: return wait()
        case .sendTimeoutResponse(let status): return respondWithError(status, now: now)
        case .close(let reason): return close(.http(reason))
        }
    }

    /// The server is shutting down: an idle connection closes now, a busy one after its current response.
    mutating func shutdownRequested() -> Action {
        switch state {
        case .closingTLS, .closed: return Self.unchanged
        case .handshaking, .receiving, .awaitingResponse, .writing: break
        }
        guard case .close(let reason) = http.shutdownRequested() else { return Self.unchanged }
        return closeGracefully(.http(reason))
    }

    /// The server's grace period ended: close now, whatever is pending.
    mutating func abort() -> Action {
        guard state != .closed else { return Self.unchanged }
        return close(.aborted)
    }

    // MARK: - Results of the actions

    /// Feeds the result of the TLS handshake.
    mutating func handshakeResult(_ result: TLSOperationResult<Void>, now: UInt64) -> Action {
        guard case .handshaking = state, let action = tls?.handshakeResult(result, now: now) else {
            return Self.unchanged
        }
        switch action {
        case .handshakeCompleted, .none:
            state = .receiving
            // The first request usually arrives with the client's Finished message: read it now.
            return .read
        case .wait(let want):
            state = .handshaking(want)
            return wait()
        case .close(let reason):
            return close(.handshakeFailed(reason))
        case .sendCloseNotify:
            // Not returned while handshaking; there would be no session to close anyway.
            return close(.tls(.closedLocally))
        }
    }

    /// Feeds the result of a read into `buffer` (its first `count` bytes on `.data`).
    mutating func readResult(_ result: TransportRead, buffer: [UInt8], now: UInt64) -> Action {
        switch state {
        case .receiving, .awaitingResponse: break
        case .handshaking, .writing, .closingTLS, .closed: return Self.unchanged
        }
        // Data and would-block leave the TLS machine as it is; the two outcomes that end input go through it.
        switch result {
        case .data(let count, let isDrained):
            inbound.append(contentsOf: buffer[0..<count])
            http.bytesReceived(now: now)
            if !isDrained && inbound.readableBytes < readCap { return .read }
            input = isDrained ? .awaitingReadiness(wantsWrite: false) : .available
        case .wouldBlock(let wantsWrite):
            input = .awaitingReadiness(wantsWrite: wantsWrite)
        case .endOfStream:
            // The TLS machine moves to closing and asks for our close_notify, which goes out once the requests
            // already received are answered (`closeGracefully`).
            _ = tls?.readResult(.complete(0))
            input = .ended
        case .failed:
            if case .close(let reason)? = tls?.readResult(.failed(.readFailed)) { return close(.tls(reason)) }
            return close(.transportFailed)
        }
        guard case .receiving = state else {
            if input == .ended { finishAfterResponse() }
            return wait()
        }
        return process(now: now)
    }

    /// The responder runs elsewhere; its response comes later through ``responseReady(closesConnection:now:)``.
    mutating func responseDeferred() -> Action {
        guard case .awaitingResponse = state else { return Self.unchanged }
        return wait()
    }

    /// The responder answered; `closesConnection` when its response carries `Connection: close`.
    mutating func responseReady(closesConnection: Bool, now: UInt64) -> ResponseDisposition {
        guard case .awaitingResponse = state else { return .discard }
        let keepAlive = http.keepsAlive && !closesConnection
        startResponse(closesAfter: !keepAlive, now: now)
        return .send(keepAlive: keepAlive)
    }

    /// Feeds the result of a write; `pendingBytes` is what remains of the response after it.
    mutating func writeResult(_ result: TransportWrite, pendingBytes: Int, now: UInt64) -> Action {
        guard case .writing(_, let closesAfter) = state else { return Self.unchanged }
        switch result {
        case .wrote where pendingBytes > 0:
            http.bytesSent(now: now)
            state = .writing(wantsRead: false, closesAfter: closesAfter)
            return .write
        case .wrote:
            if case .close(let reason) = http.responseSent(now: now) { return closeGracefully(.http(reason)) }
            if closesAfter { return closeGracefully(.http(.notPersistent)) }
            state = .receiving
            // A pipelined request already began arriving: its header deadline starts now.
            if !inbound.isEmpty { http.bytesReceived(now: now) }
            return process(now: now)
        case .wouldBlock(let wantsRead):
            state = .writing(wantsRead: wantsRead, closesAfter: closesAfter)
            return wait()
        case .failed:
            return close(.transportFailed)
        }
    }

    /// Whether the shell flushes buffered transport output (TLS records held by a deferred-write transport) before it
    /// executes a `.wait`, and feeds the outcome to ``flushResult(_:)``: always while handshaking, reading or waiting
    /// for a responder, since the peer may be waiting for those bytes. A response write flushes as it goes, and
    /// close_notify flushes itself.
    var flushesBeforeWaiting: Bool {
        switch state {
        case .handshaking, .receiving, .awaitingResponse: true
        case .writing, .closingTLS, .closed: false
        }
    }

    /// Whether the last flush before a wait left bytes behind (the shell flushes again at the next wait, even when
    /// the transport reports nothing held, so that this clears).
    var isOutputBlocked: Bool { outputBlocked }

    /// Feeds the result of the flush before a wait. Nil keeps that wait as it is; otherwise the returned action
    /// replaces it (a `.wait` whose nil interest or timer means the replaced wait's), or closes.
    mutating func flushResult(_ result: TransportWrite) -> Action? {
        switch result {
        case .wrote:
            guard outputBlocked else { return nil }
            outputBlocked = false
        case .wouldBlock:
            guard !outputBlocked else { return nil }
            outputBlocked = true
        case .failed:
            return close(.transportFailed)
        }
        return wait()
    }

    /// Feeds the result of sending close_notify; the connection closes either way.
    mutating func closeNotifyResult(_ result: TLSOperationResult<Void>) -> Action {
        guard case .closingTLS(let reason) = state else { return Self.unchanged }
        // Best effort: a close_notify that cannot be written at once is not waited for, so a peer that stopped
        // reading cannot hold the connection open. The TLS machine still records how the shutdown went.
        _ = tls?.shutdownResult(result)
        return close(reason)
    }

    // MARK: - Internals

    private static var unchanged: Action { .wait(interest: nil, timer: nil) }

    /// Whether a read may run while a response is outstanding.
    private var canReadAhead: Bool {
        guard case .awaitingReadiness = input else { return false }
        return inbound.readableBytes < readCap
    }

    /// The readiness a read waits for: writable when TLS must write before it can read.
    private var readInterest: EventSet {
        if case .awaitingReadiness(wantsWrite: true) = input { return .writable }
        return .readable
    }

    /// Parses buffered bytes: dispatches the next complete request, answers a malformed one, or asks for more.
    private mutating func process(now: UInt64) -> Action {
        while true {
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next(from: &inbound)
            } catch {
                http.requestFailed()
                return respondWithError(error.status, now: now)
            }
            guard let event else { break }
            switch event {
            case .head(let received):
                head = received
                requestStartTime = now
                // Without a body the parser's `.end` follows at once, and `requestReceived` takes the keep-alive
                // decision: the body timeouts have nothing to time.
                if received.hasBody { http.headReceived(keepAlive: received.keepAlive, now: now) }
            case .body(let chunk):
                http.bodyBytesReceived(chunk.count)
                body.append(contentsOf: chunk)
            case .end:
                // Moved out, not copied: the head is the request's largest value.
                guard let request = head.take() else { continue }
                http.requestReceived(keepAlive: request.keepAlive)
                let requestBody = body
                body = []
                state = .awaitingResponse
                discardReadBytes()
                if input == .ended { finishAfterResponse() }
                return .dispatch(request, body: requestBody)
            }
        }
        discardReadBytes()
        switch input {
        case .awaitingReadiness:
            return wait()
        case .available:
            return .read
        case .ended:
            // Idle, or part of a request: the HTTP machine closes (the peer's close_notify is answered).
            guard case .close(let reason) = http.inputClosed() else { return wait() }
            return closeGracefully(.http(reason))
        }
    }

    /// The peer sends nothing more while a response is outstanding: that response is the last one.
    private mutating func finishAfterResponse() {
        // While responding, the HTTP machine answers `.none` and marks the connection non-persistent.
        _ = http.inputClosed()
    }

    private mutating func discardReadBytes() {
        if inbound.readerIndex > 4096 { inbound.discardReadBytes() }
    }

    /// Starts a response written by the machine's own decision (parse error, 408); it ends the connection.
    private mutating func respondWithError(_ status: HTTPStatus, now: UInt64) -> Action {
        startResponse(closesAfter: true, now: now)
        return .writeErrorResponse(status)
    }

    private mutating func startResponse(closesAfter: Bool, now: UInt64) {
        state = .writing(wantsRead: false, closesAfter: closesAfter)
        // The response's writes flush what an earlier wait could not.
        outputBlocked = false
        // The send-progress clock starts with the response, so a peer that never reads cannot hold the connection
        // even when the very first write makes no progress.
        http.bytesSent(now: now)
    }

    /// Ends the connection by the server's choice: over TLS with close_notify first.
    private mutating func closeGracefully(_ reason: CloseReason) -> Action {
        guard let action = tls?.closeRequested() else { return close(reason) }
        switch action {
        case .sendCloseNotify, .none:
            // `.none`: TLS is already closing because the peer's close_notify arrived; ours is still owed.
            state = .closingTLS(reason)
            return .sendCloseNotify
        case .close, .wait, .handshakeCompleted:
            // Still handshaking: there is no session to close.
            return close(reason)
        }
    }

    private mutating func close(_ reason: CloseReason) -> Action {
        state = .closed
        return .close(reason)
    }

    /// Returns to the loop, changing the interest set and the timer only where they must change.
    private mutating func wait() -> Action {
        var wanted: EventSet
        switch state {
        case .handshaking(.read):
            wanted = .readable
        case .handshaking(.write):
            wanted = .writable
        case .receiving:
            wanted = readInterest
        case .awaitingResponse:
            wanted = canReadAhead ? readInterest : []
        case .writing(let wantsRead, _):
            wanted = wantsRead ? .readable : .writable
        case .closingTLS, .closed:
            return Self.unchanged
        }
        if outputBlocked { wanted.insert(.writable) }
        let interestChange = wanted == interest ? nil : wanted
        interest = wanted
        var deadline = http.nextDeadline
        if let handshake = tls?.handshakeDeadline { deadline = min(deadline ?? .max, handshake) }
        // A timer armed for an earlier deadline stays: when it fires, `timerFired` re-arms for the later one.
        guard let deadline, deadline < timerDeadline ?? .max else {
            return .wait(interest: interestChange, timer: nil)
        }
        timerDeadline = deadline
        return .wait(interest: interestChange, timer: deadline)
    }
}

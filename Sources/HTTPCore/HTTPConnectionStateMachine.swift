/// The lifecycle and timeouts of one HTTP/1.1 connection, as a pure state machine that returns actions.
///
/// The I/O shell feeds it events with a monotonic clock in nanoseconds (`now`), executes the returned
/// ``Action``, and arms one timer for ``nextDeadline`` that calls ``tick(now:)``. These timeouts apply:
/// - header: total time from the first byte (or the accept) to the complete head; trickling bytes do not
///   extend it (slowloris);
/// - request: total time from the first byte of a request to its last, head and body together, so no pace
///   of trickling can hold a connection longer;
/// - body progress: longest pause between body bytes;
/// - minimum body rate: after a grace period the body must keep up an average rate (bytes the shell reports
///   with ``bodyBytesReceived(_:)``), so a body dribbled a byte at a time gets its 408 long before the request
///   deadline; the deadline starts at the head plus the grace period and moves one second later for every
///   `minimumBodyRate` bytes (Apache's `mod_reqtimeout` `MinRate`);
/// - idle: how long a kept-alive connection may wait for its next request (RFC 9112 §9.5).
/// Send progress bounds a peer that stops reading the response (armed by ``bytesSent(now:)``).
///
/// ```swift
/// var machine = HTTPConnectionStateMachine(now: clock.now)
/// machine.bytesReceived(now: clock.now)
/// machine.requestReceived(keepAlive: head.keepAlive, now: clock.now)
/// if case .close(let reason) = machine.responseSent(now: clock.now) { close(reason) }
/// ```
package struct HTTPConnectionStateMachine: Sendable {
    /// The timeouts, in nanoseconds.
    package struct Configuration: Sendable, Hashable {
        /// Total time allowed to receive a complete request head.
        package var headerTimeout: UInt64
        /// Longest pause allowed between bytes of a request body.
        package var bodyProgressTimeout: UInt64
        /// How long a persistent connection may sit idle between requests.
        package var idleTimeout: UInt64
        /// Longest pause allowed while response bytes are waiting to be written.
        package var sendProgressTimeout: UInt64
        /// Total time allowed from the first byte of a request to its last (head and body).
        package var requestTimeout: UInt64
        /// The average rate, in bytes per second, a body must keep up once ``bodyRateGracePeriod`` has passed;
        /// 0 turns the check off.
        package var minimumBodyRate: UInt64
        /// How long after the head a body may take before ``minimumBodyRate`` applies.
        package var bodyRateGracePeriod: UInt64

        /// Creates a configuration; the defaults are 10 s (header), 10 s (body progress), 60 s (idle), 30 s
        /// (send progress), 60 s (request), no minimum body rate, and a 5 s grace period before it.
        package init(
            headerTimeout: UInt64 = 10_000_000_000,
            bodyProgressTimeout: UInt64 = 10_000_000_000,
            idleTimeout: UInt64 = 60_000_000_000,
            sendProgressTimeout: UInt64 = 30_000_000_000,
            requestTimeout: UInt64 = 60_000_000_000,
            minimumBodyRate: UInt64 = 0,
            bodyRateGracePeriod: UInt64 = 5_000_000_000
        ) {
            self.headerTimeout = headerTimeout
            self.bodyProgressTimeout = bodyProgressTimeout
            self.idleTimeout = idleTimeout
            self.sendProgressTimeout = sendProgressTimeout
            self.requestTimeout = requestTimeout
            self.minimumBodyRate = minimumBodyRate
            self.bodyRateGracePeriod = bodyRateGracePeriod
        }
    }

    /// Where the connection is in its request/response cycle.
    package enum Phase: Sendable, Hashable {
        /// Kept alive, waiting for the first byte of the next request.
        case idle
        /// Receiving a request head.
        case awaitingHead
        /// Receiving a request body.
        case readingBody
        /// Producing or writing a response; no timeout until bytes are pending.
        case responding
        /// Done; the shell has been told to close.
        case closed
    }

    /// Why the shell should close the connection.
    package enum CloseReason: Sendable, Hashable {
        /// No new request within the idle timeout.
        case idleTimeout
        /// Nothing at all was received within the header timeout.
        case headerTimeout
        /// The peer stopped reading the response.
        case sendTimeout
        /// The exchange ended and the connection is not persistent (Connection: close, HTTP/1.0, an error).
        case notPersistent
        /// The peer closed its side before a request was complete.
        case peerClosed
        /// The server is shutting down and the connection was idle.
        case shutdown
    }

    /// What the shell should do.
    package enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// Write this status (408) with `Connection: close`, then report ``responseSent(now:)``.
        case sendTimeoutResponse(HTTPStatus)
        /// Close the connection now.
        case close(CloseReason)
    }

    private enum State: Sendable, Hashable {
        case idle(deadline: UInt64)
        /// The header deadline; `hasBytes` once the request's first byte arrived (then ``requestDeadline`` runs).
        case awaitingHead(deadline: UInt64, hasBytes: Bool)
        /// The body-progress deadline; ``requestDeadline`` and ``rateDeadline`` run too.
        case readingBody(deadline: UInt64)
        case responding(deadline: UInt64?)
        case closed
    }

    /// The timeouts in force.
    package let configuration: Configuration
    private var state: State
    private var isPersistent = true
    /// The whole-request deadline of the request being received, set by its first byte (or its head); `.max`
    /// until the first request's first byte. Kept out of `State` so the states stay small; only read in
    /// `awaitingHead` and `readingBody`, and set on every way into them but the first.
    private var requestDeadline = UInt64.max
    /// The body-rate deadline of the body being received (`.max` when no minimum rate applies); only read in
    /// `readingBody`, and set on the way in.
    private var rateDeadline = UInt64.max

    /// Creates the machine for a connection accepted at `now`; the header timeout starts immediately.
    package init(configuration: Configuration = Configuration(), now: UInt64) {
        self.configuration = configuration
        self.state = .awaitingHead(deadline: Self.adding(configuration.headerTimeout, to: now), hasBytes: false)
    }

    /// The current phase.
    package var phase: Phase {
        switch state {
        case .idle: .idle
        case .awaitingHead: .awaitingHead
        case .readingBody: .readingBody
        case .responding: .responding
        case .closed: .closed
        }
    }

    /// Whether the connection will be reused after the current response.
    package var keepsAlive: Bool { isPersistent }

    /// When ``tick(now:)`` must next be called, or `nil` when no timer is needed.
    package var nextDeadline: UInt64? {
        switch state {
        case .idle(let deadline): deadline
        // `requestDeadline` is still `.max` while awaiting the first request's first byte.
        case .awaitingHead(let deadline, _): min(deadline, requestDeadline)
        case .readingBody(let deadline): min(deadline, min(rateDeadline, requestDeadline))
        case .responding(let deadline): deadline
        case .closed: nil
        }
    }

    // MARK: - Events

    /// Bytes arrived from the peer.
    package mutating func bytesReceived(now: UInt64) {
        switch state {
        case .idle:
            state = .awaitingHead(deadline: Self.adding(configuration.headerTimeout, to: now), hasBytes: true)
            requestDeadline = Self.adding(configuration.requestTimeout, to: now)
        case .awaitingHead(let deadline, hasBytes: false):
            // The header deadline is absolute: a byte every few seconds must not keep a slot forever. The request
            // deadline starts with the request's first byte.
            state = .awaitingHead(deadline: deadline, hasBytes: true)
            requestDeadline = Self.adding(configuration.requestTimeout, to: now)
        case .awaitingHead:
            break
        case .readingBody:
            state = .readingBody(deadline: Self.adding(configuration.bodyProgressTimeout, to: now))
        case .responding, .closed:
            // Pipelined bytes wait in the buffer until the response is sent.
            break
        }
    }

    /// A request head was parsed and a body follows; the body-progress and body-rate timeouts start.
    package mutating func headReceived(keepAlive: Bool, now: UInt64) {
        switch state {
        case .idle, .awaitingHead(_, hasBytes: false):
            requestDeadline = Self.adding(configuration.requestTimeout, to: now)
        case .awaitingHead:
            break
        case .readingBody, .responding, .closed:
            return
        }
        isPersistent = isPersistent && keepAlive
        state = .readingBody(deadline: Self.adding(configuration.bodyProgressTimeout, to: now))
        rateDeadline =
            configuration.minimumBodyRate == 0 ? .max : Self.adding(configuration.bodyRateGracePeriod, to: now)
    }

    /// `count` bytes of the current request's body arrived (decoded: without chunk framing); each moves the
    /// body-rate deadline later by `count / minimumBodyRate` seconds.
    package mutating func bodyBytesReceived(_ count: Int) {
        guard case .readingBody = state, rateDeadline != .max, count > 0 else { return }
        let (scaled, overflow) = UInt64(count).multipliedReportingOverflow(by: 1_000_000_000)
        let credit = overflow ? UInt64.max : scaled / configuration.minimumBodyRate
        rateDeadline = Self.adding(credit, to: rateDeadline)
    }

    /// A complete request (head and body) was received; the response phase starts.
    package mutating func requestReceived(keepAlive: Bool) {
        switch state {
        case .idle, .awaitingHead, .readingBody:
            isPersistent = isPersistent && keepAlive
            state = .responding(deadline: nil)
        case .responding, .closed:
            break
        }
    }

    /// The request could not be parsed: the shell answers with the error status and then closes.
    package mutating func requestFailed() {
        guard state != .closed else { return }
        isPersistent = false
        state = .responding(deadline: nil)
    }

    /// Some response bytes were written and more are pending; the send-progress timeout (re)starts.
    package mutating func bytesSent(now: UInt64) {
        guard case .responding = state else { return }
        state = .responding(deadline: Self.adding(configuration.sendProgressTimeout, to: now))
    }

    /// The whole response was written.
    ///
    /// - Returns: `.close(.notPersistent)` when the connection must not be reused, else `.none` and the idle
    ///   timeout starts (a pipelined request already buffered moves the machine on at once).
    package mutating func responseSent(now: UInt64) -> Action {
        guard case .responding = state else { return .none }
        guard isPersistent else {
            state = .closed
            return .close(.notPersistent)
        }
        state = .idle(deadline: Self.adding(configuration.idleTimeout, to: now))
        return .none
    }

    /// The peer closed its sending side (read returned 0).
    package mutating func inputClosed() -> Action {
        switch state {
        case .idle, .awaitingHead, .readingBody:
            state = .closed
            return .close(.peerClosed)
        case .responding:
            // Finish the response (the peer may still read it), then close.
            isPersistent = false
            return .none
        case .closed:
            return .none
        }
    }

    /// The server is draining: idle connections close now, busy ones after their current response.
    package mutating func shutdownRequested() -> Action {
        isPersistent = false
        switch state {
        case .idle, .awaitingHead(_, hasBytes: false):
            state = .closed
            return .close(.shutdown)
        case .awaitingHead, .readingBody, .responding, .closed:
            return .none
        }
    }

    /// The timer fired (or the loop is checking): returns what an expired deadline requires.
    package mutating func tick(now: UInt64) -> Action {
        guard let deadline = nextDeadline, now >= deadline else { return .none }
        switch state {
        case .idle:
            state = .closed
            return .close(.idleTimeout)
        case .awaitingHead(_, hasBytes: false):
            // Nothing was sent at all: there is no request to answer.
            state = .closed
            return .close(.headerTimeout)
        case .awaitingHead, .readingBody:
            // RFC 9110 §15.5.9: 408 tells the client the server closed an unfinished request (too slow a head,
            // a stalled or too slow body, or the whole request over its deadline).
            isPersistent = false
            state = .responding(deadline: nil)
            return .sendTimeoutResponse(.requestTimeout)
        case .responding:
            state = .closed
            return .close(.sendTimeout)
        case .closed:
            return .none
        }
    }

    private static func adding(_ duration: UInt64, to now: UInt64) -> UInt64 {
        let (sum, overflow) = now.addingReportingOverflow(duration)
        return overflow ? .max : sum
    }
}

/// The pure lifecycle of a server-side TLS connection: a handshake that must finish before a deadline (so a
/// client that trickles its ClientHello cannot hold a connection open), the open phase, and close_notify.
///
/// The I/O shell feeds it the results of ``TLSConnection`` calls and timer firings and executes the returned
/// ``Action``; the clock is injected as monotonic nanoseconds (e.g. `Deadline.now().uptimeNanoseconds`).
///
/// ```swift
/// var machine = TLSConnectionStateMachine(handshakeTimeout: .seconds(10), now: clock())
/// switch machine.handshakeResult(tls.handshake(), now: clock()) {
/// case .wait(let want): /* set interest */ case .handshakeCompleted: /* start HTTP */
/// case .close(let reason): /* close the socket */ case .sendCloseNotify, .none: break
/// }
/// ```
package struct TLSConnectionStateMachine: Sendable {
    /// Where the connection is.
    package enum State: Sendable, Equatable {
        case handshaking(deadline: UInt64)
        case open
        case closing
        case closed(CloseReason)
    }

    /// Why the connection ended.
    package enum CloseReason: Sendable, Equatable {
        case handshakeTimedOut
        case handshakeFailed
        case peerClosed
        case failed
        case closedLocally
    }

    /// What the shell must do next.
    package enum Action: Sendable, Equatable {
        /// Nothing to do.
        case none
        /// Wait for the transport to become readable or writable, then call the operation again.
        case wait(TLSWant)
        /// The handshake finished: start reading application data.
        case handshakeCompleted
        /// Call ``TLSConnection/shutdown()`` and feed the result to ``shutdownResult(_:)``.
        case sendCloseNotify
        /// Deregister and close the socket.
        case close(CloseReason)
    }

    /// The current state.
    package private(set) var state: State

    /// Starts in the handshake phase with a deadline of `now + handshakeTimeout`.
    package init(handshakeTimeout: Duration, now: UInt64) {
        let (seconds, attoseconds) = handshakeTimeout.components
        let timeout = UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000)
        let (deadline, overflow) = now.addingReportingOverflow(timeout)
        self.state = .handshaking(deadline: overflow ? .max : deadline)
    }

    /// The handshake deadline while handshaking (arm a timer for it).
    package var handshakeDeadline: UInt64? {
        if case .handshaking(let deadline) = state { return deadline }
        return nil
    }

    /// Feeds the result of ``TLSConnection/handshake()``.
    package mutating func handshakeResult(_ result: TLSOperationResult<Void>, now: UInt64) -> Action {
        guard case .handshaking(let deadline) = state else { return .none }
        switch result {
        case .complete:
            state = .open
            return .handshakeCompleted
        case .incomplete(let want):
            if now >= deadline {
                return close(.handshakeTimedOut)
            }
            return .wait(want)
        case .failed:
            return close(.handshakeFailed)
        }
    }

    /// The handshake timer fired at `now`.
    package mutating func timerFired(now: UInt64) -> Action {
        guard case .handshaking(let deadline) = state, now >= deadline else { return .none }
        return close(.handshakeTimedOut)
    }

    /// Feeds the result of ``TLSConnection/read(into:)``; `.complete(0)` is the peer's close_notify.
    package mutating func readResult(_ result: TLSOperationResult<Int>) -> Action {
        guard state == .open else { return .none }
        switch result {
        case .complete(0):
            state = .closing
            return .sendCloseNotify
        case .complete:
            return .none
        case .incomplete(let want):
            return .wait(want)
        case .failed(let error):
            return close(error == .unexpectedEOF ? .peerClosed : .failed)
        }
    }

    /// The application wants to close (e.g. after `Connection: close` or an idle timeout).
    package mutating func closeRequested() -> Action {
        switch state {
        case .handshaking:
            return close(.closedLocally)
        case .open:
            state = .closing
            return .sendCloseNotify
        case .closing, .closed:
            return .none
        }
    }

    /// Feeds the result of ``TLSConnection/shutdown()``; the peer's reply is not awaited.
    package mutating func shutdownResult(_ result: TLSOperationResult<Void>) -> Action {
        guard state == .closing else { return .none }
        switch result {
        case .complete:
            return close(.closedLocally)
        case .incomplete(let want):
            return .wait(want)
        case .failed:
            return close(.failed)
        }
    }

    private mutating func close(_ reason: CloseReason) -> Action {
        state = .closed(reason)
        return .close(reason)
    }
}

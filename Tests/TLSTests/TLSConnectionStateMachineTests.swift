import Testing

@testable import TLS

@Suite struct TLSConnectionStateMachineTests {
    private let second: UInt64 = 1_000_000_000

    @Test func handshakeCompletesBeforeDeadline() {
        var machine = TLSConnectionStateMachine(handshakeTimeout: .seconds(10), now: 100 * second)
        #expect(machine.handshakeDeadline == 110 * second)
        #expect(machine.handshakeResult(.incomplete(.read), now: 101 * second) == .wait(.read))
        #expect(machine.handshakeResult(.incomplete(.write), now: 102 * second) == .wait(.write))
        #expect(machine.handshakeResult(.complete(()), now: 103 * second) == .handshakeCompleted)
        #expect(machine.state == .open)
        #expect(machine.handshakeDeadline == nil)
        #expect(machine.timerFired(now: 200 * second) == .none)
    }

    @Test func slowHandshakeTimesOut() {
        var machine = TLSConnectionStateMachine(handshakeTimeout: .seconds(5), now: 0)
        #expect(machine.timerFired(now: 4 * second) == .none)
        #expect(machine.timerFired(now: 5 * second) == .close(.handshakeTimedOut))
        #expect(machine.state == .closed(.handshakeTimedOut))
        #expect(machine.handshakeResult(.complete(()), now: 6 * second) == .none)
    }

    @Test func tricklingClientIsCutOffEvenWithoutTimer() {
        var machine = TLSConnectionStateMachine(handshakeTimeout: .seconds(5), now: 0)
        #expect(machine.handshakeResult(.incomplete(.read), now: 6 * second) == .close(.handshakeTimedOut))
    }

    @Test func failedHandshakeCloses() {
        var machine = TLSConnectionStateMachine(handshakeTimeout: .seconds(5), now: 0)
        #expect(machine.handshakeResult(.failed(.handshakeFailed), now: 1) == .close(.handshakeFailed))
    }

    @Test func peerCloseNotifyThenShutdown() {
        var machine = TLSConnectionStateMachine(handshakeTimeout: .seconds(5), now: 0)
        _ = machine.handshakeResult(.complete(()), now: 1)
        #expect(machine.readResult(.complete(10)) == .none)
        #expect(machine.readResult(.incomplete(.read)) == .wait(.read))
        #expect(machine.readResult(.complete(0)) == .sendCloseNotify)
        #expect(machine.shutdownResult(.incomplete(.write)) == .wait(.write))
        #expect(machine.shutdownResult(.complete(())) == .close(.closedLocally))
    }

    @Test func localCloseAndTruncation() {
        var open = TLSConnectionStateMachine(handshakeTimeout: .seconds(5), now: 0)
        _ = open.handshakeResult(.complete(()), now: 1)
        #expect(open.closeRequested() == .sendCloseNotify)
        #expect(open.closeRequested() == .none)

        var truncated = TLSConnectionStateMachine(handshakeTimeout: .seconds(5), now: 0)
        _ = truncated.handshakeResult(.complete(()), now: 1)
        #expect(truncated.readResult(.failed(.unexpectedEOF)) == .close(.peerClosed))

        var early = TLSConnectionStateMachine(handshakeTimeout: .seconds(5), now: 0)
        #expect(early.closeRequested() == .close(.closedLocally))
    }
}

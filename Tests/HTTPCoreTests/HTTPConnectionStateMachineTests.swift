import HTTPCore
import Testing

/// A manual monotonic clock in nanoseconds.
struct FakeClock {
    var now: UInt64 = 1_000_000_000

    mutating func advance(seconds: Double) {
        now += UInt64(seconds * 1_000_000_000)
    }
}

@Suite struct HTTPConnectionStateMachineTests {
    static let configuration = HTTPConnectionStateMachine.Configuration(
        headerTimeout: 10_000_000_000,
        bodyProgressTimeout: 5_000_000_000,
        idleTimeout: 60_000_000_000,
        sendProgressTimeout: 30_000_000_000
    )

    func makeMachine(_ clock: FakeClock) -> HTTPConnectionStateMachine {
        HTTPConnectionStateMachine(configuration: Self.configuration, now: clock.now)
    }

    @Test func newConnectionWaitsForHeadWithHeaderDeadline() {
        let clock = FakeClock()
        let machine = makeMachine(clock)
        #expect(machine.phase == .awaitingHead)
        #expect(machine.nextDeadline == clock.now + 10_000_000_000)
        #expect(machine.keepsAlive)
    }

    @Test func silentConnectionClosesWithoutResponseAtHeaderTimeout() {
        var clock = FakeClock()
        var machine = makeMachine(clock)
        clock.advance(seconds: 9.999)
        #expect(machine.tick(now: clock.now) == .none)
        clock.advance(seconds: 0.001)
        #expect(machine.tick(now: clock.now) == .close(.headerTimeout))
        #expect(machine.phase == .closed)
        #expect(machine.nextDeadline == nil)
    }

    @Test func slowlorisTrickleDoesNotExtendHeaderDeadline() {
        var clock = FakeClock()
        var machine = makeMachine(clock)
        for _ in 0..<9 {
            clock.advance(seconds: 1)
            machine.bytesReceived(now: clock.now)
            #expect(machine.tick(now: clock.now) == .none)
        }
        clock.advance(seconds: 1)
        machine.bytesReceived(now: clock.now)
        #expect(machine.tick(now: clock.now) == .sendTimeoutResponse(.requestTimeout))
        #expect(machine.phase == .responding)
        #expect(!machine.keepsAlive)
        #expect(machine.responseSent(now: clock.now) == .close(.notPersistent))
        #expect(machine.phase == .closed)
    }

    @Test func keepAliveCycleReturnsToIdle() {
        var clock = FakeClock()
        var machine = makeMachine(clock)
        machine.bytesReceived(now: clock.now)
        machine.requestReceived(keepAlive: true)
        #expect(machine.phase == .responding)
        #expect(machine.nextDeadline == nil)
        clock.advance(seconds: 100)
        #expect(machine.tick(now: clock.now) == .none)
        #expect(machine.responseSent(now: clock.now) == .none)
        #expect(machine.phase == .idle)
        #expect(machine.nextDeadline == clock.now + 60_000_000_000)
    }

    @Test func idleKeepAliveConnectionClosesAtIdleTimeout() {
        var clock = FakeClock()
        var machine = makeMachine(clock)
        machine.requestReceived(keepAlive: true)
        _ = machine.responseSent(now: clock.now)
        clock.advance(seconds: 59)
        #expect(machine.tick(now: clock.now) == .none)
        clock.advance(seconds: 1)
        #expect(machine.tick(now: clock.now) == .close(.idleTimeout))
    }

    @Test func firstByteOfNextRequestStartsAFreshHeaderDeadline() {
        var clock = FakeClock()
        var machine = makeMachine(clock)
        machine.requestReceived(keepAlive: true)
        _ = machine.responseSent(now: clock.now)
        clock.advance(seconds: 30)
        machine.bytesReceived(now: clock.now)
        #expect(machine.phase == .awaitingHead)
        #expect(machine.nextDeadline == clock.now + 10_000_000_000)
        clock.advance(seconds: 10)
        #expect(machine.tick(now: clock.now) == .sendTimeoutResponse(.requestTimeout))
    }

    @Test func bodyProgressResetsTheBodyDeadline() {
        var clock = FakeClock()
        var machine = makeMachine(clock)
        machine.bytesReceived(now: clock.now)
        machine.headReceived(keepAlive: true, now: clock.now)
        #expect(machine.phase == .readingBody)
        for _ in 0..<10 {
            clock.advance(seconds: 4)
            machine.bytesReceived(now: clock.now)
            #expect(machine.tick(now: clock.now) == .none)
        }
        machine.requestReceived(keepAlive: true)
        #expect(machine.phase == .responding)
    }

    @Test func stalledBodyGets408() {
        var clock = FakeClock()
        var machine = makeMachine(clock)
        machine.headReceived(keepAlive: true, now: clock.now)
        clock.advance(seconds: 5)
        #expect(machine.tick(now: clock.now) == .sendTimeoutResponse(.requestTimeout))
        #expect(machine.responseSent(now: clock.now) == .close(.notPersistent))
    }

    @Test func connectionCloseRequestClosesAfterResponse() {
        let clock = FakeClock()
        var machine = makeMachine(clock)
        machine.requestReceived(keepAlive: false)
        #expect(!machine.keepsAlive)
        #expect(machine.responseSent(now: clock.now) == .close(.notPersistent))
    }

    @Test func parseErrorClosesAfterErrorResponse() {
        let clock = FakeClock()
        var machine = makeMachine(clock)
        machine.bytesReceived(now: clock.now)
        machine.requestFailed()
        #expect(machine.phase == .responding)
        #expect(machine.responseSent(now: clock.now) == .close(.notPersistent))
    }

    @Test func stalledWriterIsClosedAfterSendTimeout() {
        var clock = FakeClock()
        var machine = makeMachine(clock)
        machine.requestReceived(keepAlive: true)
        machine.bytesSent(now: clock.now)
        clock.advance(seconds: 29)
        machine.bytesSent(now: clock.now)
        clock.advance(seconds: 29)
        #expect(machine.tick(now: clock.now) == .none)
        clock.advance(seconds: 1)
        #expect(machine.tick(now: clock.now) == .close(.sendTimeout))
    }

    @Test func peerCloseWhileIdleOrReading() {
        let clock = FakeClock()
        var idle = makeMachine(clock)
        #expect(idle.inputClosed() == .close(.peerClosed))
        var reading = makeMachine(clock)
        reading.headReceived(keepAlive: true, now: clock.now)
        #expect(reading.inputClosed() == .close(.peerClosed))
        #expect(reading.inputClosed() == .none)
    }

    @Test func peerCloseWhileRespondingFinishesResponseFirst() {
        let clock = FakeClock()
        var machine = makeMachine(clock)
        machine.requestReceived(keepAlive: true)
        #expect(machine.inputClosed() == .none)
        #expect(machine.responseSent(now: clock.now) == .close(.notPersistent))
    }

    @Test func shutdownClosesIdleAndDrainsBusy() {
        let clock = FakeClock()
        var idle = makeMachine(clock)
        idle.requestReceived(keepAlive: true)
        _ = idle.responseSent(now: clock.now)
        #expect(idle.shutdownRequested() == .close(.shutdown))
        var busy = makeMachine(clock)
        busy.requestReceived(keepAlive: true)
        #expect(busy.shutdownRequested() == .none)
        #expect(busy.responseSent(now: clock.now) == .close(.notPersistent))
    }

    @Test func pipelinedRequestMovesFromIdleStraightToResponding() {
        let clock = FakeClock()
        var machine = makeMachine(clock)
        machine.requestReceived(keepAlive: true)
        _ = machine.responseSent(now: clock.now)
        machine.requestReceived(keepAlive: true)
        #expect(machine.phase == .responding)
    }

    @Test func deadlinesSaturateInsteadOfOverflowing() {
        var machine = HTTPConnectionStateMachine(now: .max - 1)
        #expect(machine.nextDeadline == .max)
        #expect(machine.tick(now: .max) == .close(.headerTimeout))
    }

    @Test func eventsAfterCloseAreIgnored() {
        var clock = FakeClock()
        var machine = makeMachine(clock)
        clock.advance(seconds: 10)
        _ = machine.tick(now: clock.now)
        machine.bytesReceived(now: clock.now)
        machine.requestReceived(keepAlive: true)
        machine.requestFailed()
        #expect(machine.phase == .closed)
        #expect(machine.responseSent(now: clock.now) == .none)
        #expect(machine.tick(now: .max) == .none)
    }
}

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

    // MARK: - Whole-request deadline and minimum body rate

    /// 30 s per request and 512 bytes/s after a 5 s grace period, as the API runs; the other timeouts as above.
    static let guarded = HTTPConnectionStateMachine.Configuration(
        headerTimeout: 10_000_000_000,
        bodyProgressTimeout: 5_000_000_000,
        idleTimeout: 60_000_000_000,
        sendProgressTimeout: 30_000_000_000,
        requestTimeout: 30_000_000_000,
        minimumBodyRate: 512,
        bodyRateGracePeriod: 5_000_000_000
    )

    @Test func requestDeadlineBoundsHeadAndBodyTogether() {
        var clock = FakeClock()
        var machine = HTTPConnectionStateMachine(
            configuration: .init(bodyProgressTimeout: 5_000_000_000, requestTimeout: 30_000_000_000),
            now: clock.now
        )
        let firstByte = clock.now
        machine.bytesReceived(now: clock.now)
        clock.advance(seconds: 9)
        machine.headReceived(keepAlive: true, now: clock.now)
        // A byte every 4 s keeps the body-progress timeout (5 s) from firing, but not the request deadline.
        var answer = HTTPConnectionStateMachine.Action.none
        while answer == .none && clock.now < firstByte + 60_000_000_000 {
            clock.advance(seconds: 4)
            answer = machine.tick(now: clock.now)
            machine.bytesReceived(now: clock.now)
            machine.bodyBytesReceived(1)
        }
        #expect(answer == .sendTimeoutResponse(.requestTimeout))
        // The first tick at or after 30 s from the first byte (ticks come every 4 s here: at 33 s).
        #expect(clock.now - firstByte == 33_000_000_000)
        #expect(!machine.keepsAlive)
    }

    @Test func requestDeadlineStartsWithTheFirstByteOfEachRequest() {
        var clock = FakeClock()
        var machine = HTTPConnectionStateMachine(configuration: Self.guarded, now: clock.now)
        // Before any byte only the header timeout runs (and closes without a response).
        #expect(machine.nextDeadline == clock.now + 10_000_000_000)
        machine.requestReceived(keepAlive: true)
        _ = machine.responseSent(now: clock.now)
        clock.advance(seconds: 50)
        machine.bytesReceived(now: clock.now)
        let firstByte = clock.now
        clock.advance(seconds: 2)
        machine.headReceived(keepAlive: true, now: clock.now)
        machine.bodyBytesReceived(100_000)
        // Plenty of rate credit: the request deadline, 30 s after the first byte, is the one that remains.
        for _ in 0..<6 {
            clock.advance(seconds: 4.5)
            machine.bytesReceived(now: clock.now)
        }
        #expect(machine.nextDeadline == firstByte + 30_000_000_000)
        clock.advance(seconds: 1)
        #expect(machine.tick(now: clock.now) == .sendTimeoutResponse(.requestTimeout))
    }

    @Test func oneKibibyteAtOneBytePerSecondGets408WithinTheRequestDeadline() {
        var clock = FakeClock()
        var machine = HTTPConnectionStateMachine(configuration: Self.guarded, now: clock.now)
        let firstByte = clock.now
        machine.bytesReceived(now: clock.now)
        machine.headReceived(keepAlive: true, now: clock.now)
        var sent = 0
        var answer = HTTPConnectionStateMachine.Action.none
        while sent < 1024 {
            clock.advance(seconds: 1)
            answer = machine.tick(now: clock.now)
            if answer != .none { break }
            machine.bytesReceived(now: clock.now)
            machine.bodyBytesReceived(1)
            sent += 1
        }
        #expect(answer == .sendTimeoutResponse(.requestTimeout))
        // 5 s of grace plus 1/512 s of credit per byte: cut off after about 5 s, well before the 30 s deadline.
        #expect(clock.now - firstByte <= 6_000_000_000)
        #expect(sent < 10)
    }

    @Test func aBodyAtTheMinimumRateIsNotCutOff() {
        var clock = FakeClock()
        var machine = HTTPConnectionStateMachine(configuration: Self.guarded, now: clock.now)
        machine.bytesReceived(now: clock.now)
        machine.headReceived(keepAlive: true, now: clock.now)
        // 600 bytes/s for 20 s: above 512 bytes/s throughout, and inside the request deadline.
        for _ in 0..<20 {
            clock.advance(seconds: 1)
            #expect(machine.tick(now: clock.now) == .none)
            machine.bytesReceived(now: clock.now)
            machine.bodyBytesReceived(600)
        }
        machine.requestReceived(keepAlive: true)
        #expect(machine.phase == .responding)
        #expect(machine.nextDeadline == nil)
    }

    @Test func theRateDeadlineMovesOneSecondPerMinimumRateOfBytes() {
        let clock = FakeClock()
        var machine = HTTPConnectionStateMachine(configuration: Self.guarded, now: clock.now)
        machine.headReceived(keepAlive: true, now: clock.now)
        #expect(machine.nextDeadline == clock.now + 5_000_000_000)
        machine.bodyBytesReceived(256)
        // Still the body-progress deadline (5 s) first; the rate deadline moved to 5.5 s.
        #expect(machine.nextDeadline == clock.now + 5_000_000_000)
        machine.bytesReceived(now: clock.now + 4_000_000_000)
        #expect(machine.nextDeadline == clock.now + 5_500_000_000)
    }

    @Test func aZeroMinimumRateTurnsTheRateCheckOff() {
        var clock = FakeClock()
        var machine = HTTPConnectionStateMachine(
            configuration: .init(bodyProgressTimeout: 5_000_000_000, requestTimeout: 30_000_000_000),
            now: clock.now
        )
        machine.headReceived(keepAlive: true, now: clock.now)
        for _ in 0..<7 {
            clock.advance(seconds: 4)
            machine.bytesReceived(now: clock.now)
            machine.bodyBytesReceived(1)
            #expect(machine.tick(now: clock.now) == .none)
        }
        clock.advance(seconds: 3)
        #expect(machine.tick(now: clock.now) == .sendTimeoutResponse(.requestTimeout))
    }

    @Test func bodyBytesOutsideABodyAndHugeCountsAreHarmless() {
        let clock = FakeClock()
        var machine = HTTPConnectionStateMachine(configuration: Self.guarded, now: clock.now)
        machine.bodyBytesReceived(10)
        #expect(machine.nextDeadline == clock.now + 10_000_000_000)
        machine.headReceived(keepAlive: true, now: clock.now)
        machine.bodyBytesReceived(.max)
        #expect(machine.nextDeadline == clock.now + 5_000_000_000)
    }
}

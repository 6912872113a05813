import Testing

@testable import SystemIO

@Suite struct DeadlineTests {
    @Test func arithmeticSaturates() {
        let base = Deadline(uptimeNanoseconds: 1_000)
        #expect((base + .nanoseconds(500)).uptimeNanoseconds == 1_500)
        #expect((base + .nanoseconds(-5_000)).uptimeNanoseconds == 0)
        #expect(Deadline.distantFuture + .seconds(1) == .distantFuture)
        #expect(Deadline(uptimeNanoseconds: 3_000) - base == .nanoseconds(2_000))
        #expect(base - Deadline(uptimeNanoseconds: 3_000) == .nanoseconds(-2_000))
    }

    @Test func monotonicClockAdvances() {
        let first = Deadline.now()
        let second = Deadline.now()
        #expect(second >= first)
        #expect(Deadline.after(.seconds(1)) > second)
    }

    @Test func millisecondsRoundUpAndClamp() {
        #expect(Duration.nanoseconds(1).milliseconds == 1)
        #expect(Duration.milliseconds(5).milliseconds == 5)
        #expect(Duration.microseconds(5_001).milliseconds == 6)
        #expect(Duration.milliseconds(-3).milliseconds == 0)
        #expect(Duration.seconds(-3).milliseconds == 0)
        #expect(Duration.seconds(Int64.max / 2).milliseconds == CInt.max)
    }
}

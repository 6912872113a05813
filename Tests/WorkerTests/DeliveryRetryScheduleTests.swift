import Foundation
import Testing
import Worker

/// The webhook retry schedule on a fixed clock: 30 s doubling, capped at an hour, nothing after 24 hours.
@Suite struct DeliveryRetryScheduleTests {
    let start = Date(timeIntervalSince1970: 1_767_225_600)
    let schedule = DeliveryRetrySchedule()

    @Test func delaysDoubleFromThirtySecondsUpToAnHour() throws {
        var now = start
        var delays: [TimeInterval] = []
        for attempts in 1...9 {
            let next = try #require(
                schedule.nextAttempt(afterFailedAttempts: attempts, firstAttempt: start, now: now, jitter: 1)
            )
            delays.append(next.timeIntervalSince(now))
            now = next
        }
        #expect(delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600])
    }

    @Test func jitterScalesTheDelay() throws {
        let early = try #require(
            schedule.nextAttempt(afterFailedAttempts: 2, firstAttempt: start, now: start, jitter: 0.9)
        )
        let late = try #require(
            schedule.nextAttempt(afterFailedAttempts: 2, firstAttempt: start, now: start, jitter: 1.1)
        )
        #expect(early.timeIntervalSince(start) == 54)
        #expect(abs(late.timeIntervalSince(start) - 66) < 1e-9)
    }

    @Test func nothingIsScheduledMoreThanADayAfterTheFirstAttempt() {
        let nearlyOver = start.addingTimeInterval(86_400 - 3600)
        #expect(
            schedule.nextAttempt(afterFailedAttempts: 20, firstAttempt: start, now: nearlyOver, jitter: 1)
                == start.addingTimeInterval(86_400)
        )
        #expect(
            schedule.nextAttempt(afterFailedAttempts: 20, firstAttempt: start, now: nearlyOver, jitter: 1.01) == nil
        )
        #expect(
            schedule.nextAttempt(
                afterFailedAttempts: 1,
                firstAttempt: start,
                now: start.addingTimeInterval(86_399),
                jitter: 1
            ) == nil
        )
    }
}

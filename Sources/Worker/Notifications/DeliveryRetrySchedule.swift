package import Foundation

/// When a failed webhook delivery is attempted again: exponential backoff with jitter, for a bounded time.
///
/// The first retry waits ``firstDelay``, each further one twice as long up to ``maximumDelay``, each scaled by a
/// jitter factor so that the deliveries of one failing receiver spread out; no attempt is scheduled later than
/// ``window`` after the first, and then the delivery has failed. With the defaults (30 s doubling, capped at an
/// hour, for 24 hours) that is about thirty attempts.
///
/// ```swift
/// let schedule = DeliveryRetrySchedule()
/// schedule.nextAttempt(afterFailedAttempts: 1, firstAttempt: start, now: start, jitter: 1)   // start + 30 s
/// ```
package struct DeliveryRetrySchedule: Sendable, Hashable {
    /// The wait after the first failed attempt.
    package var firstDelay: TimeInterval
    /// The longest wait between two attempts (before jitter).
    package var maximumDelay: TimeInterval
    /// How long after the first attempt attempts may still be made.
    package var window: TimeInterval
    /// The range jitter factors are drawn from.
    package static let jitter: ClosedRange<Double> = 0.9...1.1

    /// 30 s doubling, capped at an hour, for 24 hours.
    package init(firstDelay: TimeInterval = 30, maximumDelay: TimeInterval = 3600, window: TimeInterval = 86_400) {
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.window = window
    }

    /// The time of the next attempt after `attempts` failed ones (the latest at `now`), or nil when it would fall
    /// after the window: the delivery has then failed.
    /// - Parameter jitter: the factor the delay is scaled by, from ``jitter``.
    package func nextAttempt(afterFailedAttempts attempts: Int, firstAttempt: Date, now: Date, jitter: Double) -> Date?
    {
        let doubling = pow(2, Double(min(max(attempts - 1, 0), 30)))
        let next = now.addingTimeInterval(min(maximumDelay, firstDelay * doubling) * jitter)
        return next.timeIntervalSince(firstAttempt) <= window ? next : nil
    }
}

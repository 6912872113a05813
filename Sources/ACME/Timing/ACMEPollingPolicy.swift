package import Foundation

/// How the client polls authorizations and orders (RFC 8555 §7.5.1, §7.4): `Retry-After` when the server sends
/// one (clamped to ``maximumRetryAfter``), otherwise an exponential backoff from ``initialDelay`` doubling up to
/// ``maximumDelay``; the whole order gives up after ``timeout``.
///
/// The defaults suit both Pebble with `PEBBLE_VA_NOSLEEP=1` (validation within milliseconds, no `Retry-After` in
/// 2.4.0) and Let's Encrypt (validation in seconds).
package struct ACMEPollingPolicy: Sendable, Equatable {
    /// First delay without `Retry-After`.
    package var initialDelay: TimeInterval
    /// Cap of the backoff without `Retry-After`.
    package var maximumDelay: TimeInterval
    /// Cap on a server's `Retry-After` while polling, so one odd header cannot park a worker for hours.
    package var maximumRetryAfter: TimeInterval
    /// Give up an order this long after driving it started.
    package var timeout: TimeInterval

    /// Creates a policy.
    package init(
        initialDelay: TimeInterval = 0.1,
        maximumDelay: TimeInterval = 1,
        maximumRetryAfter: TimeInterval = 60,
        timeout: TimeInterval = 600
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumRetryAfter = maximumRetryAfter
        self.timeout = timeout
    }

    /// The backoff before poll number `attempt` (0-based) when the server gave no `Retry-After`.
    package func backoff(attempt: Int) -> TimeInterval {
        let factor = pow(2.0, Double(min(attempt, 30)))
        return min(initialDelay * factor, maximumDelay)
    }

    /// The instant of the next poll: `retryAfter` clamped to `now…now + maximumRetryAfter`, or the backoff.
    package func nextPoll(now: Date, retryAfter: Date?, attempt: Int) -> Date {
        if let retryAfter {
            let delay = min(max(0, retryAfter.timeIntervalSince(now)), maximumRetryAfter)
            return now.addingTimeInterval(delay)
        }
        return now.addingTimeInterval(backoff(attempt: attempt))
    }
}

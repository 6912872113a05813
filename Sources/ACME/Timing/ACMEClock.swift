package import Foundation

/// Time for the ACME client: the current instant and a way to wait, injected so tests never sleep.
///
/// The client only waits between polls (`Retry-After` or its backoff); the worker's thread blocks meanwhile.
package protocol ACMEClock: Sendable {
    /// The current instant.
    func now() -> Date
    /// Blocks the calling thread until `deadline` (returns at once when it has passed).
    func sleep(until deadline: Date)
}

/// The real clock: `Date()` and `nanosleep`.
package struct SystemACMEClock: ACMEClock {
    /// Creates the system clock.
    package init() {}

    /// The current wall-clock instant.
    package func now() -> Date { Date() }

    /// Sleeps with `Thread.sleep(until:)`, which keeps sleeping after an interrupted `nanosleep` until the
    /// deadline.
    package func sleep(until deadline: Date) {
        Thread.sleep(until: deadline)
    }
}

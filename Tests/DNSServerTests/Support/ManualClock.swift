import Synchronization

/// A monotonic clock that moves only when told to, for the rate limiter.
final class ManualClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000_000)

    /// The current reading.
    var now: UInt64 { nanoseconds.load(ordering: .relaxed) }

    /// Moves the clock forward.
    func advance(by duration: UInt64) {
        nanoseconds.add(duration, ordering: .relaxed)
    }
}

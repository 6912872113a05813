import ACME
import Foundation
import Synchronization

/// A virtual clock: `sleep(until:)` jumps time forward at once and records the delay, so polling tests never
/// wait and can assert on every delay the client chose.
final class TestClock: ACMEClock {
    private let state: Mutex<(now: Date, sleeps: [TimeInterval])>

    init(start: Date = Date(timeIntervalSince1970: 1_764_000_000)) {
        state = Mutex((start, []))
    }

    func now() -> Date {
        state.withLock { $0.now }
    }

    func sleep(until deadline: Date) {
        state.withLock { state in
            let delay = max(0, deadline.timeIntervalSince(state.now))
            state.sleeps.append(delay)
            state.now = max(state.now, deadline)
        }
    }

    /// Moves time forward without a recorded sleep (time the server "spent").
    func advance(by seconds: TimeInterval) {
        state.withLock { $0.now = $0.now.addingTimeInterval(seconds) }
    }

    /// Every delay slept so far, in order, rounded to milliseconds (Date arithmetic near 1.7e9 s is not exact).
    var sleeps: [TimeInterval] {
        state.withLock { $0.sleeps.map { ($0 * 1000).rounded() / 1000 } }
    }
}

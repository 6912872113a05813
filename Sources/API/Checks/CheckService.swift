package import Checks
import Synchronization

/// Runs the MTA-STS check for API requests, a few at a time: each can take up to the check's timeout on an API
/// thread, so the number running at once is capped, and each caller is rate limited (anonymous callers per
/// address, accounts per account).
package final class CheckService: Sendable {
    /// The engine, configured like the worker's.
    package let engine: CheckEngine
    /// Checks running at once for the whole API process; beyond it, 429 `checks-busy`.
    package let maximumConcurrent: Int
    /// Checks per hour one anonymous client address may run (`MTASTS_CHECK_LIMIT_PER_ADDRESS`).
    package let anonymousPerHour: Int
    /// Checks per hour one account may run.
    package let accountPerHour: Int
    private let running = Mutex(0)

    /// Creates the service.
    package init(engine: CheckEngine, maximumConcurrent: Int = 4, anonymousPerHour: Int = 20, accountPerHour: Int = 120)
    {
        self.engine = engine
        self.maximumConcurrent = maximumConcurrent
        self.anonymousPerHour = anonymousPerHour
        self.accountPerHour = accountPerHour
    }

    /// Runs `body` when a slot is free; `nil` when ``maximumConcurrent`` checks are already running.
    func withSlot<Value>(_ body: () throws -> Value) rethrows -> Value? {
        let admitted = running.withLock { count -> Bool in
            guard count < maximumConcurrent else { return false }
            count += 1
            return true
        }
        guard admitted else { return nil }
        defer { running.withLock { $0 -= 1 } }
        return try body()
    }
}

import Dispatch
import Synchronization

/// Runs `work` on a queue of its own for the newest value submitted: values that arrive while one is worked on
/// replace each other, so a burst costs one run more, not one run each. For work on whole snapshots that must
/// not hold up the thread that produces them (writing the snapshot file, auditing every key).
///
/// ```swift
/// let writer = LatestValueWorker<Snapshot>(label: "mtasts.snapshot-file") { try? file.write($0) }
/// writer.submit(snapshot)
/// writer.waitUntilIdle()  // at shutdown: the newest value has been worked on
/// ```
package final class LatestValueWorker<Value: Sendable>: Sendable {
    private let queue: DispatchQueue
    private let work: @Sendable (Value) -> Void
    /// The newest value not yet taken, and whether a drain is scheduled on `queue`.
    private let pending = Mutex<(value: Value?, scheduled: Bool)>((nil, false))

    package init(label: String, work: @escaping @Sendable (Value) -> Void) {
        queue = DispatchQueue(label: label)
        self.work = work
    }

    /// Works on `value` soon, unless a newer value is submitted before the queue gets to it.
    package func submit(_ value: Value) {
        let schedule = pending.withLock { pending -> Bool in
            pending.value = value
            defer { pending.scheduled = true }
            return !pending.scheduled
        }
        guard schedule else { return }
        queue.async { [self] in
            while let next = pending.withLock({ pending -> Value? in
                defer { pending.value = nil }
                if pending.value == nil { pending.scheduled = false }
                return pending.value
            }) {
                work(next)
            }
        }
    }

    /// Returns once every value submitted before the call has been worked on or replaced.
    package func waitUntilIdle() {
        queue.sync {}
    }
}

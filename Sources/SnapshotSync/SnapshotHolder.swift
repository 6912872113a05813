import Synchronization

/// The current snapshot, swapped atomically; readers on any thread get one consistent value.
package final class SnapshotHolder<Snapshot: FollowedSnapshot>: Sendable {
    private let state: Mutex<Snapshot>
    private let databaseReachable = Atomic<Bool>(false)

    package init(_ snapshot: Snapshot = Snapshot()) {
        state = Mutex(snapshot)
    }

    /// The snapshot to answer from.
    package var current: Snapshot { state.withLock { $0 } }

    /// Replaces the snapshot.
    package func replace(with snapshot: Snapshot) {
        state.withLock { $0 = snapshot }
    }

    /// Whether the last attempt to reach PostgreSQL succeeded (for metrics and logs).
    package var isDatabaseReachable: Bool {
        get { databaseReachable.load(ordering: .relaxed) }
        set { databaseReachable.store(newValue, ordering: .relaxed) }
    }
}

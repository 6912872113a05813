import Synchronization

/// The current snapshot, swapped atomically; readers on any thread get one consistent value.
package final class SnapshotHolder<Snapshot: FollowedSnapshot>: Sendable {
    private let state: Mutex<Snapshot>
    private let databaseReachable = Atomic<Bool>(false)
    private let didReplace: (@Sendable (Snapshot) -> Void)?

    /// - Parameters:
    ///   - snapshot: what is served until the first replacement.
    ///   - didReplace: called with each new snapshot right after it is swapped in, on the replacing thread
    ///     (a role's one follower thread, so calls arrive in order), e.g. to check what it holds; readers are
    ///     never blocked by it.
    package init(_ snapshot: Snapshot = Snapshot(), didReplace: (@Sendable (Snapshot) -> Void)? = nil) {
        state = Mutex(snapshot)
        self.didReplace = didReplace
    }

    /// The snapshot to answer from.
    package var current: Snapshot { state.withLock { $0 } }

    /// Replaces the snapshot.
    package func replace(with snapshot: Snapshot) {
        state.withLock { $0 = snapshot }
        didReplace?(snapshot)
    }

    /// Whether the last attempt to reach PostgreSQL succeeded (for metrics and logs).
    package var isDatabaseReachable: Bool {
        get { databaseReachable.load(ordering: .relaxed) }
        set { databaseReachable.store(newValue, ordering: .relaxed) }
    }
}

package import Foundation
import Synchronization

/// The current snapshot, swapped atomically; readers on any thread get one consistent value.
///
/// `@unchecked Sendable`: `snapshot` is read and written only under `lock`; everything else is an atomic or a
/// constant.
package final class SnapshotHolder<Snapshot: FollowedSnapshot>: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    /// Guarded by `lock`. Not a `Mutex<Snapshot>`: read from another module (the edge, on every request and
    /// handshake), the generic code looked that type's metadata up on every read.
    private var snapshot: Snapshot
    private let databaseReachable = Atomic<Bool>(false)
    private let loaded = Atomic<Bool>(false)
    /// Milliseconds since 1970 of the last time the follower read the database successfully; 0 never.
    private let confirmed = Atomic<Int64>(0)
    private let didReplace: (@Sendable (Snapshot) -> Void)?

    /// - Parameters:
    ///   - snapshot: what is served until the first replacement.
    ///   - didReplace: called with each new snapshot right after it is swapped in, on the replacing thread
    ///     (a role's one follower thread, so calls arrive in order), e.g. to check what it holds; readers are
    ///     never blocked by it.
    package init(_ snapshot: Snapshot = Snapshot(), didReplace: (@Sendable (Snapshot) -> Void)? = nil) {
        self.snapshot = snapshot
        self.didReplace = didReplace
    }

    /// The snapshot to answer from.
    package var current: Snapshot { lock.withLock { _ in snapshot } }

    /// Replaces the snapshot.
    package func replace(with snapshot: Snapshot) {
        lock.withLock { _ in self.snapshot = snapshot }
        loaded.store(true, ordering: .relaxed)
        didReplace?(snapshot)
    }

    /// Whether the last attempt to reach PostgreSQL succeeded (for metrics and logs).
    package var isDatabaseReachable: Bool {
        get { databaseReachable.load(ordering: .relaxed) }
        set { databaseReachable.store(newValue, ordering: .relaxed) }
    }

    /// Records that the follower has just read the database: the snapshot is current as of `date`.
    package func confirm(at date: Date = Date()) {
        confirmed.store(Int64(date.timeIntervalSince1970 * 1000), ordering: .relaxed)
    }

    /// When the follower last read the database successfully; nil when it never has (e.g. serving the
    /// snapshot file since a start during an outage).
    package var confirmedAt: Date? {
        let milliseconds = confirmed.load(ordering: .relaxed)
        return milliseconds == 0 ? nil : Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Why a role answering from this snapshot should not take traffic (`/readyz`): nothing loaded yet (no
    /// database and no snapshot file), or not confirmed against the database for longer than
    /// `maximumStaleness` seconds. Empty when ready.
    package func readinessProblems(maximumStaleness: TimeInterval, now: Date = Date()) -> [String] {
        guard loaded.load(ordering: .relaxed) else {
            return ["no snapshot loaded yet (database unreachable and no snapshot file)"]
        }
        let age = confirmedAt.map { now.timeIntervalSince($0) }
        guard let age, age <= maximumStaleness else {
            let since = age.map { "for \(Int($0)) s" } ?? "since start"
            return [
                "the snapshot has not been confirmed against the database \(since) (bound: \(Int(maximumStaleness)) s)"
            ]
        }
        return []
    }
}

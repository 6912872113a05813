package import Store

/// Where a follower's snapshots come from: the store in production, a scripted fake in the follower's tests.
package protocol SnapshotSource: Sendable {
    /// The kind of snapshot this source builds.
    associatedtype Snapshot: FollowedSnapshot

    /// Everything served now, and the change rows of the look-back window (`seq > sequence - lookback`) that
    /// it already reflects, read in one database snapshot.
    func loadAll(lookback: Int64) throws -> (snapshot: Snapshot, reflected: Set<Int64>)
    /// Up to `limit` change rows with `seq > after`, oldest first, hosts normalised.
    func changes(after: Int64, limit: Int) throws -> [ChangeRecord]
    /// The current `parts` of `hosts`.
    func load(hosts: Set<String>, parts: ServedParts) throws -> Snapshot.Entries
    /// Blocks until a change notification arrives, `timeout` passes, or ``cancelWaits()`` is called.
    func waitForChange(timeout: Duration) throws
    /// Ends the current and every later ``waitForChange(timeout:)`` at once (the follower is stopping).
    func cancelWaits()
    /// Drops connections after an error so the next call reconnects.
    func reset()
}

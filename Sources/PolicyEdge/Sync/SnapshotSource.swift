package import Store

/// Where an edge's snapshots come from: the store in production (``StoreSnapshotSource``), a scripted fake
/// in the follower's tests.
package protocol SnapshotSource: Sendable {
    /// Everything served now, and the change rows of the look-back window (`seq > sequence - lookback`) that
    /// it already reflects, read in one database snapshot.
    func loadAll(lookback: Int64) throws -> (snapshot: EdgeSnapshot, reflected: Set<Int64>)
    /// Up to `limit` change rows with `seq > after`, oldest first, hosts normalised.
    func changes(after: Int64, limit: Int) throws -> [ChangeRecord]
    /// The current `parts` of `hosts`; a host missing from the result serves nothing of those parts.
    func load(hosts: Set<String>, parts: ServedParts) throws -> [String: EdgeSnapshot.HostEntry]
    /// Blocks until a change notification arrives, `timeout` passes, or ``cancelWaits()`` is called.
    func waitForChange(timeout: Duration) throws
    /// Ends the current and every later ``waitForChange(timeout:)`` at once (the follower is stopping).
    func cancelWaits()
    /// Drops connections after an error so the next call reconnects.
    func reset()
}

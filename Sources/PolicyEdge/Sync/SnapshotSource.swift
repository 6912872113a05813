import Foundation

/// Where snapshots come from: PostgreSQL in production (``PostgresSnapshotSource``).
package protocol SnapshotSource: Sendable {
    /// Everything currently served, and the change rows of the look-back window it already reflects.
    func loadAll() throws -> (snapshot: EdgeSnapshot, seen: Set<Int64>)
    /// Change rows after `sequence`, plus a look-back window before it: a writer's `seq` is assigned before
    /// its commit, so a lower number can become visible after a higher one.
    func changes(after sequence: Int64) throws -> [(seq: Int64, host: String)]
    /// The current entries of `hosts` (missing hosts are no longer served).
    func load(hosts: Set<String>) throws -> [String: EdgeSnapshot.HostEntry]
    /// Blocks until a change notification arrives or `timeout` passes; returns whether one arrived.
    func waitForChange(timeout: Duration) throws -> Bool
    /// Drops connections after an error so the next call reconnects.
    func reset()
}

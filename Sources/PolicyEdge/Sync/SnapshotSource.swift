package import Foundation

/// Where snapshots come from: PostgreSQL in production (``PostgresSnapshotSource``).
package protocol SnapshotSource: Sendable {
    /// Everything currently served, and the change sequence it reflects.
    func loadAll() throws -> EdgeSnapshot
    /// The hosts changed after `sequence` (with a small look-back for late commits), and the newest sequence.
    func changedHosts(after sequence: Int64) throws -> (hosts: Set<String>, newest: Int64)
    /// The current entries of `hosts` (missing hosts are no longer served).
    func load(hosts: Set<String>) throws -> [String: EdgeSnapshot.HostEntry]
    /// Blocks until a change notification arrives or `timeout` passes; returns whether one arrived.
    func waitForChange(timeout: Duration) throws -> Bool
    /// Drops connections after an error so the next call reconnects.
    func reset()
}

package import Foundation
package import SnapshotSync
package import Store
import TLS
package import TLSReporting

/// Reads the zone's view of the world through the store: one reader connection and one listener of its own,
/// read-only, never on the query path.
package final class StoreZoneSource: SnapshotSource {
    package typealias Snapshot = ZoneSnapshot

    private let store: DataStore
    private let listener: ChangeListener
    private let reporting: ReportingAddresses

    /// A source on `connectionString`.
    /// - Parameter reporting: the platform's TLS-RPT addresses, served in every `_smtp._tls` record first.
    /// - Throws: when the process is out of descriptors for the listener.
    package init(connectionString: String, reporting: ReportingAddresses = ReportingAddresses()) throws {
        store = DataStore(connectionString: connectionString, maxConnections: 1)
        listener = try ChangeListener(connectionString: connectionString)
        self.reporting = reporting
    }

    package func loadAll(lookback: Int64) throws -> (snapshot: ZoneSnapshot, reflected: Set<Int64>) {
        let loaded = try store.zone.loadAll(lookback: lookback)
        return (ZoneSnapshot(hosts: entries(loaded.rows), sequence: loaded.sequence), loaded.reflectedChanges)
    }

    /// Whether the source reads from a replica, and how far behind.
    package var replication: ReplicationStatus { ReplicationStatus(replica: listener.replicaStatus) }

    package func changes(after: Int64, limit: Int) throws -> [ChangeRecord] {
        try store.changes.changes(after: after, limit: limit).map { change in
            var normalised = change
            normalised.host = HostName.normalized(change.host)
            return normalised
        }
    }

    package func load(hosts: Set<String>, parts: ServedParts) throws -> [String: ZoneSnapshot.Entry] {
        entries(try store.zone.load(hosts: hosts))
    }

    package func loadSlice(
        after: String,
        limit: Int
    ) throws -> (entries: [String: ZoneSnapshot.Entry], range: HostRange) {
        let slice = try store.zone.loadSlice(after: after, limit: limit)
        return (entries(slice.rows), slice.range)
    }

    /// How far the live edges have come (those heard from within `window` seconds).
    package func edgeProgress(window: TimeInterval) throws -> EdgeProgress {
        try store.edgeHeartbeats.progress(window: window)
    }

    package func waitForChange(timeout: Duration) throws {
        _ = try listener.wait(timeout: timeout)
    }

    package func cancelWaits() {
        listener.cancel()
    }

    package func reset() {
        listener.reset()
    }

    private func entries(_ rows: [ZoneRow]) -> [String: ZoneSnapshot.Entry] {
        var entries: [String: ZoneSnapshot.Entry] = [:]
        entries.reserveCapacity(rows.count)
        for row in rows { entries[HostName.normalized(row.host)] = ZoneSnapshot.Entry(row, reporting: reporting) }
        return entries
    }
}

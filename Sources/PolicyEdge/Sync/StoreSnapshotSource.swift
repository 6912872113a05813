import Crypto
import Foundation
package import SnapshotSync
package import Store
import Synchronization
import TLS

/// Reads the edge's view of the world through the store: read-only, never on the request path.
///
/// Its own small pool (one reader connection) and its own listener, so a busy API or worker never delays an
/// edge's catch-up. Served hosts follow the store's `served_domains` rule (RFC 8461 §8.3). It may read from a
/// streaming replica (`MTASTS_DATABASE_READ_URL`) while its heartbeat goes to the primary.
package final class StoreSnapshotSource: SnapshotSource {
    package typealias Snapshot = EdgeSnapshot

    private let store: DataStore
    private let heartbeatStore: DataStore
    private let listener: ChangeListener
    private let primarySequence = Atomic<Int64>(0)

    /// A source reading from `connectionString`.
    /// - Parameter heartbeatConnectionString: the primary, for ``recordHeartbeat(instance:appliedSequence:)``
    ///   when `connectionString` is a replica; nil writes to `connectionString`.
    /// - Throws: when the process is out of descriptors for the listener.
    package init(connectionString: String, heartbeatConnectionString: String? = nil) throws {
        store = DataStore(connectionString: connectionString, maxConnections: 1)
        heartbeatStore =
            heartbeatConnectionString.map { DataStore(connectionString: $0, maxConnections: 1) } ?? store
        listener = try ChangeListener(connectionString: connectionString)
    }

    /// Whether the source reads from a replica and how far behind, and the primary's newest change-log
    /// position as of the last heartbeat.
    package var replication: ReplicationStatus {
        let head = primarySequence.load(ordering: .relaxed)
        return ReplicationStatus(replica: listener.replicaStatus, primaryHead: head > 0 ? head : nil)
    }

    package func loadAll(lookback: Int64) throws -> (snapshot: EdgeSnapshot, reflected: Set<Int64>) {
        let state = try store.servedHosts.loadAll(lookback: lookback, into: HostTable()) { table, row in
            Self.add(row, to: &table)
        }
        let snapshot = EdgeSnapshot(table: state.rows, sequence: state.sequence, builtAt: Date())
        return (snapshot, state.reflectedChanges)
    }

    package func changes(after: Int64, limit: Int) throws -> [ChangeRecord] {
        try store.changes.changes(after: after, limit: limit).map { change in
            var normalised = change
            normalised.host = HostName.normalized(change.host)
            return normalised
        }
    }

    package func load(hosts: Set<String>, parts: ServedParts) throws -> [String: EdgeSnapshot.HostEntry] {
        entries(try store.servedHosts.load(hosts: hosts, parts: parts))
    }

    /// The entries `rows` make, by normalised host.
    private func entries(_ rows: ServedHostRows) -> [String: EdgeSnapshot.HostEntry] {
        var table = HostTable()
        for row in rows.policies { Self.add(.policy(row), to: &table) }
        for row in rows.certificates { Self.add(.certificate(row), to: &table) }
        for row in rows.challenges { Self.add(.challenge(row), to: &table) }
        return table.dictionary
    }

    package func loadSlice(
        after: String,
        limit: Int
    ) throws -> (
        entries: [String: EdgeSnapshot.HostEntry], range: HostRange
    ) {
        let slice = try store.servedHosts.loadSlice(after: after, limit: limit)
        return (entries(slice.rows), slice.range)
    }

    /// Records that this edge (`instance`) has applied every change up to `appliedSequence`.
    package func recordHeartbeat(instance: String, appliedSequence: Int64) throws {
        let head = try heartbeatStore.edgeHeartbeats.record(instance: instance, appliedSequence: appliedSequence)
        primarySequence.store(head, ordering: .relaxed)
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

    /// Files `row` under its normalised host.
    private static func add(_ row: ServedHostRow, to table: inout HostTable) {
        switch row {
        case .policy(let row):
            table[HostName.normalized(row.host), default: .init()].policy = EdgeSnapshot.Policy(
                text: row.text,
                policyID: row.policyID
            )
        case .certificate(let row):
            table[HostName.normalized(row.host), default: .init()].certificate = EdgeSnapshot.Certificate(
                id: row.id,
                chainPEM: row.chainPEM,
                sealedKey: row.sealedKey.value,
                keyBinding: row.sealedKey.binding,
                notAfter: row.notAfter
            )
        case .challenge(let row):
            table[HostName.normalized(row.host), default: .init()].challenges[row.token] = row.keyAuthorization
        }
    }
}

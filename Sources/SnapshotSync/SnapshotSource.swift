import Foundation
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
    /// Everything served for the next slice of the key space, read in one database snapshot: the next `limit`
    /// served hosts after `after` in byte order ("" for the first slice), and the `range` they span (a host in
    /// it that `entries` lacks serves nothing; `range.through` is nil for the last slice).
    func loadSlice(after: String, limit: Int) throws -> (entries: Snapshot.Entries, range: HostRange)
    /// Blocks until a change notification arrives, `timeout` passes, or ``cancelWaits()`` is called.
    func waitForChange(timeout: Duration) throws
    /// Ends the current and every later ``waitForChange(timeout:)`` at once (the follower is stopping).
    func cancelWaits()
    /// Drops connections after an error so the next call reconnects.
    func reset()
    /// How far the source's database is behind the primary (metrics).
    var replication: ReplicationStatus { get }
}

extension SnapshotSource {
    /// Nothing known: a source that is not a database (the follower's tests).
    package var replication: ReplicationStatus { ReplicationStatus() }
}

/// How far a follower's database is behind the primary: what `/metrics` shows for a role reading from a
/// streaming replica (`MTASTS_DATABASE_READ_URL`), where `NOTIFY` does not reach and changes are polled.
package struct ReplicationStatus: Sendable, Hashable {
    /// The database's role and replay lag, as of the follower's last wait; nil before it.
    package var replica: ReplicaStatus?
    /// The newest change-log position on the primary, when the role asks the primary (the edge's heartbeat).
    package var primaryHead: Int64?

    package init(replica: ReplicaStatus? = nil, primaryHead: Int64? = nil) {
        self.replica = replica
        self.primaryHead = primaryHead
    }

    /// Prometheus lines for a role whose metric names start with `prefix` (`mtasts_edge`), whose snapshot is
    /// at change-log position `applied`.
    package func prometheusText(prefix: String, applied: Int64) -> String {
        var text = ""
        if let replica {
            text +=
                "# HELP \(prefix)_database_in_recovery Whether the database this role reads is a streaming replica.\n"
            text += "# TYPE \(prefix)_database_in_recovery gauge\n"
            text += "\(prefix)_database_in_recovery \(replica.inRecovery ? 1 : 0)\n"
            if let lag = replica.replayLag {
                text += "# HELP \(prefix)_replica_replay_lag_seconds Seconds since the last transaction the replica "
                text += "replayed was committed on the primary (also grows while the primary commits nothing).\n"
                text += "# TYPE \(prefix)_replica_replay_lag_seconds gauge\n"
                text += "\(prefix)_replica_replay_lag_seconds \(String(format: "%.3f", lag))\n"
            }
        }
        if let primaryHead {
            text += "# HELP \(prefix)_change_log_lag Change-log rows on the primary this role has not applied yet.\n"
            text += "# TYPE \(prefix)_change_log_lag gauge\n"
            text += "\(prefix)_change_log_lag \(max(0, primaryHead - applied))\n"
        }
        return text
    }
}

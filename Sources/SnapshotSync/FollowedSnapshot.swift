package import Foundation
package import Store

/// An immutable, in-memory view of what a role serves, kept current from the change log by a
/// ``ChangeFollower`` and written to a ``SnapshotFile`` for cold starts during a database outage.
///
/// The edge's `EdgeSnapshot` (policies, certificates, challenges by host) and the DNS role's `ZoneSnapshot`
/// (labels, announced policy ids, TLS-RPT records) are the two kinds; both are keyed by Policy Host, the key
/// of the change log.
package protocol FollowedSnapshot: Sendable, SnapshotFileCodable {
    /// What a reload of some hosts returns (``SnapshotSource/load(hosts:parts:)``).
    associatedtype Entries: Sendable

    /// An empty snapshot (nothing served yet).
    init()
    /// The highest change-log `seq` the snapshot reflects.
    var sequence: Int64 { get }
    /// How many hosts it serves, for logs and metrics.
    var hostCount: Int { get }
    /// Whether `other` serves exactly what this one serves: a full load that finds nothing new keeps the
    /// snapshot (and its file) rather than swapping in an equal one.
    func hasSameContent(as other: Self) -> Bool
    /// The hosts `entries` holds.
    static func hosts(of entries: Entries) -> [String]
    /// The hosts of `entries` (what the database serves for them) whose entry here differs.
    func hostsDiffering(from entries: Entries) -> Set<String>
    /// The hosts it serves that `seen` lacks: at the end of a reconcile, those no slice held.
    func hosts(missingFrom seen: Set<String>) -> [String]
    /// A copy in which `parts` of `hosts` are replaced by `entries` (a host `entries` lacks no longer serves
    /// those parts), at change-log position `sequence`.
    func updating(
        hosts: Set<String>,
        parts: ServedParts,
        with entries: Entries,
        sequence: Int64,
        builtAt: Date
    ) -> Self
}

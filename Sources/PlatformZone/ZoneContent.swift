/// One consistent view of what the zone announces: a snapshot and how far the live edges have come, so every
/// query of one content value sees the same ids (RFC 8461 §8.1: an id only once every live edge serves it).
package struct ZoneContent: Sendable, Equatable {
    package let snapshot: ZoneSnapshot
    /// The lowest change-log position applied by a live edge; nil when no edge is live (nothing to wait for).
    package let minimumApplied: Int64?

    package init(snapshot: ZoneSnapshot, minimumApplied: Int64?) {
        self.snapshot = snapshot
        self.minimumApplied = minimumApplied
    }

    /// `v=STSv1; id=<announced id>` at `<label>._mta-sts.<zone>`.
    package func stsRecord(label: String) -> String? {
        snapshot.entry(label: label)?.announcedPolicyID(minimumApplied: minimumApplied).map { "v=STSv1; id=\($0)" }
    }

    /// `v=TLSRPTv1; rua=…` at `<label>._smtp._tls.<zone>`.
    package func tlsrptRecord(label: String) -> String? {
        snapshot.entry(label: label)?.tlsrptRecord
    }

    /// Grows with the snapshot's change-log position and with the edges' progress, which both change what is
    /// announced.
    package var serial: UInt32 {
        UInt32(truncatingIfNeeded: snapshot.sequence &+ (minimumApplied ?? snapshot.sequence))
    }
}

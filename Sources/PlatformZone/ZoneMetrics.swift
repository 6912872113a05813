package import DNSServer
import Foundation
package import SnapshotSync
import Store

/// The `dns` role's `/metrics` document (on its admin listener, ``AdminResponder``): the DNS server's
/// counters, the snapshot's age and position, how far the edges are (what holds new ids back), and how far
/// behind the primary the database it reads is.
package struct ZoneMetrics: Sendable {
    private let holder: ZoneSnapshotHolder
    private let announcer: ZoneAnnouncer
    private let server: AuthoritativeDNSServer
    private let replication: @Sendable () -> ReplicationStatus

    package init(
        holder: ZoneSnapshotHolder,
        announcer: ZoneAnnouncer,
        server: AuthoritativeDNSServer,
        replication: @escaping @Sendable () -> ReplicationStatus = { ReplicationStatus() }
    ) {
        self.replication = replication
        self.holder = holder
        self.announcer = announcer
        self.server = server
    }

    /// The metrics document.
    package func render() -> String {
        let snapshot = holder.current
        let progress = announcer.progress
        var text = server.metrics.prometheusText()
        func gauge(_ name: String, _ help: String, _ value: String) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(value)\n"
        }
        gauge(
            "mtasts_dns_snapshot_age_seconds",
            "Seconds since the zone's snapshot was built.",
            String(format: "%.3f", Date().timeIntervalSince(snapshot.builtAt))
        )
        gauge("mtasts_dns_snapshot_sequence", "The newest change-log sequence applied.", String(snapshot.sequence))
        gauge("mtasts_dns_domains", "Served domains in the zone.", String(snapshot.hostCount))
        gauge(
            "mtasts_dns_database_up",
            "Whether the last contact with PostgreSQL succeeded.",
            holder.isDatabaseReachable ? "1" : "0"
        )
        text += "# HELP mtasts_dns_edges Edges by whether they reported their position recently.\n"
        text += "# TYPE mtasts_dns_edges gauge\n"
        text += "mtasts_dns_edges{state=\"live\"} \(progress?.liveEdges ?? 0)\n"
        text += "mtasts_dns_edges{state=\"silent\"} \(progress?.silentEdges ?? 0)\n"
        if let minimum = progress?.minimumApplied {
            gauge(
                "mtasts_dns_edge_applied_sequence",
                "The lowest change-log position applied by a live edge (ids newer than it wait).",
                String(minimum)
            )
            gauge(
                "mtasts_dns_unacknowledged_changes",
                "Change-log rows the zone has applied that some live edge has not (new ids held back).",
                String(max(0, snapshot.sequence - minimum))
            )
        }
        return text + replication().prometheusText(prefix: "mtasts_dns", applied: snapshot.sequence)
    }
}

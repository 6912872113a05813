import Foundation
package import SnapshotSync
import Store
package import WebServer

/// The edge's `/metrics` document (Prometheus text), on its admin listener (``AdminResponder``).
package struct EdgeMetrics: Sendable {
    private let holder: EdgeSnapshotHolder
    private let servers: [(listener: String, metrics: HTTPServerMetrics)]
    private let resolver: SnapshotCertificateResolver?
    private let keyAudit: EdgeKeyAudit?
    private let replication: @Sendable () -> ReplicationStatus

    /// - Parameter keyAudit: reports certificates whose key this edge cannot decrypt; nil leaves the gauge out.
    package init(
        holder: EdgeSnapshotHolder,
        servers: [(listener: String, metrics: HTTPServerMetrics)],
        resolver: SnapshotCertificateResolver?,
        keyAudit: EdgeKeyAudit? = nil,
        replication: @escaping @Sendable () -> ReplicationStatus = { ReplicationStatus() }
    ) {
        self.replication = replication
        self.holder = holder
        self.servers = servers
        self.resolver = resolver
        self.keyAudit = keyAudit
    }

    /// The metrics document.
    package func render() -> String {
        let snapshot = holder.current
        var lines: [String] = []
        lines.append("# HELP mtasts_edge_responses_total HTTP responses sent, by listener and status code.")
        lines.append("# TYPE mtasts_edge_responses_total counter")
        for (listener, metrics) in servers {
            for (status, count) in metrics.responses.sorted(by: { $0.key < $1.key }) {
                lines.append("mtasts_edge_responses_total{listener=\"\(listener)\",code=\"\(status)\"} \(count)")
            }
        }
        lines.append("# HELP mtasts_edge_tls_handshake_failures_total Failed TLS handshakes, by reason.")
        lines.append("# TYPE mtasts_edge_tls_handshake_failures_total counter")
        for (listener, metrics) in servers {
            for (reason, count) in metrics.handshakeFailuresByReason.sorted(by: { $0.key < $1.key }) {
                lines.append(
                    "mtasts_edge_tls_handshake_failures_total{listener=\"\(listener)\",reason=\"\(reason)\"} \(count)"
                )
            }
        }
        lines.append("# HELP mtasts_edge_connections Open connections, by listener.")
        lines.append("# TYPE mtasts_edge_connections gauge")
        lines.append(
            "# HELP mtasts_edge_connections_rejected_total Connections closed at accept by the connection cap."
        )
        lines.append("# TYPE mtasts_edge_connections_rejected_total counter")
        for (listener, metrics) in servers {
            lines.append("mtasts_edge_connections{listener=\"\(listener)\"} \(metrics.currentConnections)")
            lines.append("mtasts_edge_connections_rejected_total{listener=\"\(listener)\"} \(metrics.totalRejected)")
        }
        lines.append("# HELP mtasts_edge_snapshot_age_seconds Seconds since the served snapshot was built.")
        lines.append("# TYPE mtasts_edge_snapshot_age_seconds gauge")
        lines.append(
            "mtasts_edge_snapshot_age_seconds \(String(format: "%.3f", Date().timeIntervalSince(snapshot.builtAt)))"
        )
        lines.append("# HELP mtasts_edge_snapshot_hosts Hosts in the snapshot, by what they have.")
        lines.append("# TYPE mtasts_edge_snapshot_hosts gauge")
        lines.append("mtasts_edge_snapshot_hosts{kind=\"any\"} \(snapshot.hosts.count)")
        lines.append("mtasts_edge_snapshot_hosts{kind=\"policy\"} \(snapshot.policyCount)")
        lines.append("mtasts_edge_snapshot_hosts{kind=\"certificate\"} \(snapshot.certificateCount)")
        lines.append("# HELP mtasts_edge_snapshot_sequence The newest change-log sequence applied.")
        lines.append("# TYPE mtasts_edge_snapshot_sequence gauge")
        lines.append("mtasts_edge_snapshot_sequence \(snapshot.sequence)")
        lines.append("# HELP mtasts_edge_database_up Whether the last contact with PostgreSQL succeeded.")
        lines.append("# TYPE mtasts_edge_database_up gauge")
        lines.append("mtasts_edge_database_up \(holder.isDatabaseReachable ? 1 : 0)")
        lines.append(
            "# HELP mtasts_edge_snapshot_confirmed_age_seconds Seconds since the follower last read the database."
        )
        lines.append("# TYPE mtasts_edge_snapshot_confirmed_age_seconds gauge")
        if let confirmed = holder.confirmedAt {
            lines.append(
                "mtasts_edge_snapshot_confirmed_age_seconds \(String(format: "%.3f", Date().timeIntervalSince(confirmed)))"
            )
        }
        if let resolver {
            lines.append("# HELP mtasts_edge_tls_contexts TLS contexts built for hosts so far.")
            lines.append("# TYPE mtasts_edge_tls_contexts gauge")
            lines.append("mtasts_edge_tls_contexts \(resolver.cachedContexts)")
        }
        if let keyAudit {
            lines.append(
                "# HELP mtasts_edge_certificate_keys_unreadable Certificates in the snapshot whose private key this "
                    + "edge cannot decrypt (their hosts get no TLS here), by reason."
            )
            lines.append("# TYPE mtasts_edge_certificate_keys_unreadable gauge")
            for (reason, count) in keyAudit.unreadableCounts.sorted(by: { $0.key.rawValue > $1.key.rawValue }) {
                lines.append("mtasts_edge_certificate_keys_unreadable{reason=\"\(reason.rawValue)\"} \(count)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
            + replication().prometheusText(prefix: "mtasts_edge", applied: snapshot.sequence)
    }
}

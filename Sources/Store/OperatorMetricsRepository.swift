import Database
package import Foundation

/// Platform-wide figures for the worker's `/metrics`: what an operator alerts on.
package struct OperatorMetrics: Sendable, Hashable {
    /// Current certificates of served domains that expire within 14 days.
    package var certificatesExpiringSoon = 0
    /// Certificates by failing status (`failed`, `waiting_for_tenant`, `caa_forbidden`).
    package var certificatesFailing: [String: Int] = [:]
    /// Open alert conditions of served domains by code (error findings, certificate conditions, MX changes).
    package var openAlerts: [String: Int] = [:]
    /// Checked domains by the worst severity of their last check (`none` when it found nothing).
    package var domainsBySeverity: [String: Int] = [:]
    /// Alert deliveries given up on (retried for a day) in the last 24 hours, by channel.
    package var deliveriesFailed: [String: Int] = [:]
    /// Alert deliveries waiting for their next attempt, by channel.
    package var deliveriesPending: [String: Int] = [:]
    /// Current certificates (of served domains and of the platform's hosts) expiring within each bound of
    /// days, cumulative; the nil bound counts them all.
    package var certificatesByDaysToExpiry: [ExpiryBucket] = []

    /// Certificates expiring within `bound` days (nil: all of them).
    package struct ExpiryBucket: Sendable, Hashable {
        package var bound: Int?
        package var count: Int
    }

    /// The bounds, in days, of ``certificatesByDaysToExpiry``.
    package static let expiryBounds = [0, 7, 14, 30, 60, 90]

    package init() {}
}

/// The queries behind ``OperatorMetrics``: a handful of aggregates, cheap enough for a scrape every few seconds.
package struct OperatorMetricsRepository: Sendable {
    let pool: PostgresPool

    /// The figures at `now`.
    package func snapshot(at now: Date) throws -> OperatorMetrics {
        try pool.withConnection { connection in
            var metrics = OperatorMetrics()
            metrics.certificatesExpiringSoon =
                try connection.query(
                    """
                    SELECT count(*) FROM certificates c JOIN served_domains(\(now)) d ON d.id = c.domain_id
                    WHERE c.replaced_by IS NULL AND c.not_after < \(now) + interval '14 days'
                    """
                ).first?.decode(Int.self, at: 0) ?? 0
            for row in try connection.query(
                """
                SELECT s.status, count(*) FROM certificate_states s JOIN served_domains(\(now)) d ON d.id = s.domain_id
                WHERE s.status IN ('failed', 'waiting_for_tenant', 'caa_forbidden') GROUP BY s.status
                """
            ) {
                let (status, count) = try row.decode((String, Int).self)
                metrics.certificatesFailing[status] = count
            }
            for row in try connection.query(
                """
                SELECT a.condition, count(*) FROM alert_conditions a JOIN served_domains(\(now)) d ON d.id = a.domain_id
                WHERE a.resolved_at IS NULL GROUP BY a.condition
                """
            ) {
                let (code, count) = try row.decode((String, Int).self)
                metrics.openAlerts[code] = count
            }
            for row in try connection.query(
                """
                SELECT coalesce(c.worst_severity, 'none'), count(*) FROM domain_checks c
                JOIN served_domains(\(now)) d ON d.id = c.domain_id GROUP BY 1
                """
            ) {
                let (severity, count) = try row.decode((String, Int).self)
                metrics.domainsBySeverity[severity] = count
            }
            for row in try connection.query(
                """
                SELECT channel, status, count(*) FROM notification_deliveries
                WHERE status = 'pending' OR (status = 'failed' AND completed_at > \(now) - interval '24 hours')
                GROUP BY channel, status
                """
            ) {
                let (channel, status, count) = try row.decode((String, String, Int).self)
                if status == "failed" {
                    metrics.deliveriesFailed[channel] = count
                } else {
                    metrics.deliveriesPending[channel] = count
                }
            }
            let days = try connection.query(
                """
                SELECT extract(epoch FROM c.not_after - \(now))::float8 / 86400 FROM certificates c
                WHERE c.replaced_by IS NULL
                  AND (c.domain_id IN (SELECT id FROM served_domains(\(now)))
                       OR (c.domain_id IS NULL AND c.host IN (SELECT host FROM platform_hosts)))
                """
            ).map { try $0.decode(Double.self, at: 0) }
            metrics.certificatesByDaysToExpiry =
                OperatorMetrics.expiryBounds.map { bound in
                    OperatorMetrics.ExpiryBucket(bound: bound, count: days.filter { $0 <= Double(bound) }.count)
                } + [OperatorMetrics.ExpiryBucket(bound: nil, count: days.count)]
            return metrics
        }
    }
}

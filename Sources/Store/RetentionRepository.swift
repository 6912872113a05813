import Database
package import Foundation

/// SQL that forgets what has outlived its purpose: expired http-01 answers, change-log rows every follower
/// has long applied (a follower further behind reloads everything), old rate-limit hits, the heartbeats of
/// edges gone for a day, expired sessions and tokens, the keys of domains whose offboarding is over,
/// policy history beyond the newest ``policyHistoryKept`` versions that no sender can still have cached, and
/// finished notification deliveries beyond ``deliveryLogRetention`` or the newest ``deliveryLogKept`` per webhook,
/// TLS reports older than ``reportRetention``, and audit log entries older than `auditLogDays`.
package struct RetentionRepository: Sendable {
    /// How long change-log rows are kept.
    package static let changeLogRetention: TimeInterval = 2 * 86_400
    /// How long rate-limit hits are kept (longer than any rate-limit window).
    package static let rateLimitRetention: TimeInterval = 86_400
    /// Policy versions kept per domain (older ones go once no cache can hold them).
    package static let policyHistoryKept = 100
    /// How long a delivered or failed notification stays in its webhook's log.
    package static let deliveryLogRetention: TimeInterval = 30 * 86_400
    /// Finished deliveries kept per webhook, however recent.
    package static let deliveryLogKept = 200
    /// TLS reports older than this (by the start of their period) are deleted: a year of history, plus a month.
    package static let reportRetention: TimeInterval = 400 * 86_400

    let pool: PostgresPool

    /// Deletes the expired rows.
    /// - Parameters:
    ///   - now: the current time.
    ///   - auditLogDays: how many days audit log entries are kept (`MTASTS_AUDIT_LOG_DAYS`).
    package func purge(at now: Date = Date(), auditLogDays: Int = AuditLogRepository.defaultRetentionDays) throws {
        let changesBefore = now.addingTimeInterval(-Self.changeLogRetention)
        let hitsBefore = now.addingTimeInterval(-Self.rateLimitRetention)
        try pool.withConnection { connection in
            try connection.execute("DELETE FROM acme_challenges WHERE expires_at < \(now)")
            try connection.execute("DELETE FROM changes WHERE at < \(changesBefore)")
            try connection.execute("DELETE FROM rate_limit_hits WHERE at < \(hitsBefore)")
            try connection.execute(
                "DELETE FROM tlsrpt_reports WHERE start_at < \(now.addingTimeInterval(-Self.reportRetention))"
            )
            try connection.execute(
                "DELETE FROM audit_log WHERE at < \(now.addingTimeInterval(-Double(auditLogDays) * 86_400))"
            )
            try connection.execute("DELETE FROM edge_heartbeats WHERE seen_at < \(hitsBefore)")
            try connection.execute("DELETE FROM api_tokens WHERE expires_at < \(now)")
            try connection.execute(
                "DELETE FROM acme_orders WHERE placed_at < \(now.addingTimeInterval(-ACMEOrderBudgetRepository.window))"
            )
            // Offboarding is over: no edge serves these hosts, so their private keys go.
            try connection.execute(
                """
                DELETE FROM certificates c USING domains d
                WHERE d.id = c.domain_id AND d.status = \(DomainStatus.deleted)
                """
            )
            // A superseded version may sit in a sender's cache until superseded_at + max_age (RFC 8461 §3.3),
            // and offboarding reads the largest max_age, so only versions past that point are forgotten.
            try connection.execute(
                """
                DELETE FROM policies WHERE id IN (
                    SELECT id FROM (
                        SELECT id, superseded_at, max_age,
                               row_number() OVER (PARTITION BY domain_id ORDER BY created_at DESC, id DESC) AS rank
                        FROM policies
                    ) ranked
                    WHERE rank > \(Self.policyHistoryKept) AND superseded_at IS NOT NULL
                      AND superseded_at + make_interval(secs => max_age) < \(now)
                )
                """
            )
            // Pending deliveries stay whatever their age: the worker finishes them within a day.
            try connection.execute(
                """
                DELETE FROM notification_deliveries
                WHERE status <> \(DeliveryStatus.pending)
                  AND completed_at < \(now.addingTimeInterval(-Self.deliveryLogRetention))
                """
            )
            try connection.execute(
                """
                DELETE FROM notification_deliveries WHERE id IN (
                    SELECT id FROM (
                        SELECT id, row_number() OVER (
                            PARTITION BY channel, coalesce(webhook_id, account_id) ORDER BY created_at DESC, id DESC
                        ) AS rank
                        FROM notification_deliveries WHERE status <> \(DeliveryStatus.pending)
                    ) ranked
                    WHERE rank > \(Self.deliveryLogKept)
                )
                """
            )
        }
    }
}

import Database
package import Foundation
import MTASTS

// MARK: - The doctor's reads: the server, certificates close to expiry, edges' progress

extension AdministrationRepository {
    /// The server's version and whether it is a streaming replica (`pg_is_in_recovery()`).
    package func databaseFacts() throws -> DatabaseFacts {
        try pool.withConnection { connection in
            let (version, recovering) = try AccountRepository.single(
                try connection.query("SELECT current_setting('server_version'), pg_is_in_recovery()")
            ).decode((String, Bool).self)
            return DatabaseFacts(serverVersion: version, isReplica: recovering)
        }
    }

    /// Current certificates that expire before `horizon` (or have expired): the policy hosts of served domains
    /// and the platform's own hosts, soonest first.
    package func certificatesExpiring(before horizon: Date, at now: Date) throws -> [ExpiringCertificate] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT c.host, 'tenant', c.not_after
                FROM certificates c JOIN served_domains(\(now)) d ON d.id = c.domain_id
                WHERE c.replaced_by IS NULL AND c.not_after < \(horizon)
                UNION ALL
                SELECT c.host, 'platform', c.not_after
                FROM certificates c JOIN platform_hosts h ON h.host = c.host
                WHERE c.domain_id IS NULL AND c.replaced_by IS NULL AND c.not_after < \(horizon)
                ORDER BY 3, 1
                """
            ).map { row in
                let (host, kind, notAfter) = try row.decode((String, String, Date).self)
                return ExpiringCertificate(host: host, kind: kind, notAfter: notAfter)
            }
        }
    }

    /// How many current certificates there are (tenant and platform), for the doctor's all-clear.
    package func currentCertificateCount(at now: Date) throws -> Int {
        try pool.withConnection { connection in
            try AccountRepository.single(
                try connection.query(
                    """
                    SELECT count(*) FROM certificates c
                    WHERE c.replaced_by IS NULL
                      AND (c.domain_id IN (SELECT id FROM served_domains(\(now)))
                           OR (c.domain_id IS NULL AND c.host IN (SELECT host FROM platform_hosts)))
                    """
                )
            ).decode(Int.self, at: 0)
        }
    }

    /// Every edge heartbeat with the change-log head and the time of the oldest change it had not applied, in
    /// one snapshot, by instance.
    package func edgeStandings() throws -> [EdgeStanding] {
        try pool.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
            let head = try ChangeLogRepository.newestSequence(on: connection)
            return try connection.query(
                """
                SELECT e.instance, e.applied_seq, e.seen_at,
                       (SELECT min(c.at) FROM changes c WHERE c.seq > e.applied_seq)
                FROM edge_heartbeats e ORDER BY e.instance
                """
            ).map { row in
                let (instance, applied, seenAt, oldest) = try row.decode((String, Int64, Date, Date?).self)
                return EdgeStanding(
                    instance: instance,
                    appliedSequence: applied,
                    seenAt: seenAt,
                    headSequence: head,
                    oldestUnappliedAt: oldest
                )
            }
        }
    }
}

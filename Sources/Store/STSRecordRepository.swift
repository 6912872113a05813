import Database
package import Foundation

/// SQL for the worker's drift checks of tenants' own `_mta-sts.<domain>` records (`domains.sts_record_*`).
package struct STSRecordRepository: Sendable {
    let pool: PostgresPool

    /// Queues a check for every served domain never checked, whose policy changed since its last check, or
    /// whose next check is due.
    /// - Returns: how many jobs were queued.
    @discardableResult
    package func enqueueDueChecks(at now: Date = Date()) throws -> Int {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO jobs (kind, domain_id)
                SELECT \(JobKind.checkSTSRecord), d.id FROM served_domains(\(now)) d
                JOIN policies p ON p.domain_id = d.id AND p.superseded_at IS NULL
                WHERE d.sts_record_checked_at IS NULL OR p.created_at > d.sts_record_checked_at
                   OR d.sts_record_next_check_at <= \(now)
                ON CONFLICT DO NOTHING
                """
            )
        }
    }

    /// Records a check and when to look again.
    package func record(domainID: UUID, check: STSRecordCheck, nextCheckAt: Date) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE domains SET sts_record_status = \(check.status), sts_record_id = \(check.publishedID),
                    sts_record_detail = \(String(check.detail.prefix(1000))), sts_record_checked_at = \(check.checkedAt),
                    sts_record_next_check_at = \(nextCheckAt)
                WHERE id = \(domainID)
                """
            )
        }
    }
}

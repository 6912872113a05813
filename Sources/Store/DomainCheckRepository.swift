import Database
package import Foundation

/// The worker's last look at a served domain from the outside (`domain_checks`).
package struct DomainCheckRecord: Sendable, Hashable {
    /// `_mta-sts.<domain>` compared with the current policy id (drift).
    package var stsRecord: STSRecordStatus
    /// The id `_mta-sts.<domain>` announced, when it announced one.
    package var publishedID: String?
    /// A sentence for the tenant, with the exact record to publish when something is wrong.
    package var stsRecordDetail: String
    package var tlsrptRecord: TLSRPTRecordStatus
    package var tlsrptRecordDetail: String
    package var policyFetch: PolicyFetchStatus
    package var policyFetchDetail: String
    package var checkedAt: Date
    /// When the worker looks again (sooner after a policy change or a tenant's DNS check).
    package var nextCheckAt: Date
    /// The most severe finding of the full check (`error`, `warning`, `info`); nil when it found nothing.
    package var worstSeverity: String?
    /// How many errors the full check found.
    package var errorCount: Int
    /// How many warnings the full check found.
    package var warningCount: Int

    package init(
        stsRecord: STSRecordStatus,
        publishedID: String?,
        stsRecordDetail: String,
        tlsrptRecord: TLSRPTRecordStatus,
        tlsrptRecordDetail: String,
        policyFetch: PolicyFetchStatus,
        policyFetchDetail: String,
        checkedAt: Date,
        nextCheckAt: Date,
        worstSeverity: String? = nil,
        errorCount: Int = 0,
        warningCount: Int = 0
    ) {
        self.stsRecord = stsRecord
        self.publishedID = publishedID
        self.stsRecordDetail = stsRecordDetail
        self.tlsrptRecord = tlsrptRecord
        self.tlsrptRecordDetail = tlsrptRecordDetail
        self.policyFetch = policyFetch
        self.policyFetchDetail = policyFetchDetail
        self.checkedAt = checkedAt
        self.nextCheckAt = nextCheckAt
        self.worstSeverity = worstSeverity
        self.errorCount = errorCount
        self.warningCount = warningCount
    }
}

/// SQL for `domain_checks`: what the worker found for each served domain, and when to look again.
package struct DomainCheckRepository: Sendable {
    let pool: PostgresPool

    private static let columns = """
        domain_id, sts_record_status, sts_record_id, sts_record_detail, tlsrpt_record_status, tlsrpt_record_detail, \
        policy_fetch_status, policy_fetch_detail, checked_at, next_check_at, worst_severity, error_count, warning_count
        """

    /// Reports kept per domain; older ones are deleted when a new one is recorded.
    package static let reportsKept = 50

    /// Queues a check for every served domain never checked, whose policy changed since its last check, or
    /// whose next check is due.
    /// - Returns: how many jobs were queued.
    @discardableResult
    package func enqueueDue(at now: Date = Date()) throws -> Int {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO jobs (kind, domain_id)
                SELECT \(JobKind.checkDomain), d.id FROM served_domains(\(now)) d
                JOIN policies p ON p.domain_id = d.id AND p.superseded_at IS NULL
                LEFT JOIN domain_checks c ON c.domain_id = d.id
                WHERE c.domain_id IS NULL OR p.created_at > c.checked_at OR c.next_check_at <= \(now)
                ON CONFLICT DO NOTHING
                """
            )
        }
    }

    /// Records a check: the verdicts and, in the same transaction, the full report (JSON text of an object),
    /// keeping the newest ``reportsKept`` reports of the domain.
    package func record(domainID: UUID, _ check: DomainCheckRecord, reportJSON: String) throws {
        try pool.withConnection { connection in
            try connection.withTransaction { connection in
                try connection.execute(
                    """
                    INSERT INTO domain_checks (\(unsafeSQL: Self.columns), first_clean_at)
                    VALUES (\(domainID), \(check.stsRecord), \(check.publishedID),
                            \(String(check.stsRecordDetail.prefix(1000))), \(check.tlsrptRecord),
                            \(String(check.tlsrptRecordDetail.prefix(1000))), \(check.policyFetch),
                            \(String(check.policyFetchDetail.prefix(1000))), \(check.checkedAt), \(check.nextCheckAt),
                            \(check.worstSeverity), \(check.errorCount), \(check.warningCount),
                            \(check.errorCount == 0 ? check.checkedAt : nil))
                    ON CONFLICT (domain_id) DO UPDATE SET
                        sts_record_status = excluded.sts_record_status, sts_record_id = excluded.sts_record_id,
                        sts_record_detail = excluded.sts_record_detail,
                        tlsrpt_record_status = excluded.tlsrpt_record_status,
                        tlsrpt_record_detail = excluded.tlsrpt_record_detail,
                        policy_fetch_status = excluded.policy_fetch_status,
                        policy_fetch_detail = excluded.policy_fetch_detail, checked_at = excluded.checked_at,
                        next_check_at = excluded.next_check_at, worst_severity = excluded.worst_severity,
                        error_count = excluded.error_count, warning_count = excluded.warning_count,
                        first_clean_at = coalesce(domain_checks.first_clean_at, excluded.first_clean_at)
                    """
                )
                try connection.execute(
                    """
                    INSERT INTO check_reports (domain_id, checked_at, worst_severity, error_count, warning_count, report)
                    VALUES (\(domainID), \(check.checkedAt), \(check.worstSeverity), \(check.errorCount),
                            \(check.warningCount), \(reportJSON)::jsonb)
                    """
                )
                try connection.execute(
                    """
                    DELETE FROM check_reports WHERE domain_id = \(domainID) AND id NOT IN (
                        SELECT id FROM check_reports WHERE domain_id = \(domainID) ORDER BY id DESC
                        LIMIT \(Self.reportsKept))
                    """
                )
            }
        }
    }

    /// When a check of `domainID` first found no error; nil while none has.
    package func firstCleanAt(domainID: UUID) throws -> Date? {
        try pool.withConnection { connection in
            try connection.query("SELECT first_clean_at FROM domain_checks WHERE domain_id = \(domainID)")
                .first.flatMap { try $0.decode(Date?.self, at: 0) }
        }
    }

    /// The stored reports of `domainID`, newest first: at most `limit`, older than the report `before` when set.
    package func reports(domainID: UUID, limit: Int, before: Int64? = nil) throws -> [StoredCheckReport] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT id, report::text FROM check_reports
                WHERE domain_id = \(domainID) AND (\(before)::bigint IS NULL OR id < \(before))
                ORDER BY id DESC LIMIT \(limit)
                """
            ).map { row in
                let (id, json) = try row.decode((Int64, String).self)
                return StoredCheckReport(id: id, json: json)
            }
        }
    }

    /// The checks of `domainIDs` (one query for a page of domains).
    package func find(domainIDs: [UUID]) throws -> [UUID: DomainCheckRecord] {
        guard !domainIDs.isEmpty else { return [:] }
        return try pool.withConnection { connection in
            var checks: [UUID: DomainCheckRecord] = [:]
            for row in try connection.query(
                "SELECT \(unsafeSQL: Self.columns) FROM domain_checks WHERE domain_id = ANY(\(PostgresUUIDArray(domainIDs)))"
            ) {
                let (id, sts, published, stsDetail, tlsrpt, tlsrptDetail, fetch, fetchDetail, checkedAt, next) =
                    try row.decode(
                        (
                            UUID, STSRecordStatus, String?, String, TLSRPTRecordStatus, String, PolicyFetchStatus,
                            String, Date, Date
                        ).self,
                        columns: 0..<10
                    )
                let (worst, errors, warnings) = try row.decode((String?, Int, Int).self, columns: 10..<13)
                checks[id] = DomainCheckRecord(
                    stsRecord: sts,
                    publishedID: published,
                    stsRecordDetail: stsDetail,
                    tlsrptRecord: tlsrpt,
                    tlsrptRecordDetail: tlsrptDetail,
                    policyFetch: fetch,
                    policyFetchDetail: fetchDetail,
                    checkedAt: checkedAt,
                    nextCheckAt: next,
                    worstSeverity: worst,
                    errorCount: errors,
                    warningCount: warnings
                )
            }
            return checks
        }
    }
}

/// One stored report: its id (for paging) and the JSON document as the check wrote it.
package struct StoredCheckReport: Sendable, Hashable {
    package var id: Int64
    package var json: String

    package init(id: Int64, json: String) {
        self.id = id
        self.json = json
    }
}

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

    package init(
        stsRecord: STSRecordStatus,
        publishedID: String?,
        stsRecordDetail: String,
        tlsrptRecord: TLSRPTRecordStatus,
        tlsrptRecordDetail: String,
        policyFetch: PolicyFetchStatus,
        policyFetchDetail: String,
        checkedAt: Date,
        nextCheckAt: Date
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
    }
}

/// SQL for `domain_checks`: what the worker found for each served domain, and when to look again.
package struct DomainCheckRepository: Sendable {
    let pool: PostgresPool

    private static let columns = """
        domain_id, sts_record_status, sts_record_id, sts_record_detail, tlsrpt_record_status, tlsrpt_record_detail, \
        policy_fetch_status, policy_fetch_detail, checked_at, next_check_at
        """

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

    /// Records a check.
    package func record(domainID: UUID, _ check: DomainCheckRecord) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO domain_checks (\(unsafeSQL: Self.columns))
                VALUES (\(domainID), \(check.stsRecord), \(check.publishedID), \(String(check.stsRecordDetail.prefix(1000))),
                        \(check.tlsrptRecord), \(String(check.tlsrptRecordDetail.prefix(1000))), \(check.policyFetch),
                        \(String(check.policyFetchDetail.prefix(1000))), \(check.checkedAt), \(check.nextCheckAt))
                ON CONFLICT (domain_id) DO UPDATE SET
                    sts_record_status = excluded.sts_record_status, sts_record_id = excluded.sts_record_id,
                    sts_record_detail = excluded.sts_record_detail, tlsrpt_record_status = excluded.tlsrpt_record_status,
                    tlsrpt_record_detail = excluded.tlsrpt_record_detail,
                    policy_fetch_status = excluded.policy_fetch_status,
                    policy_fetch_detail = excluded.policy_fetch_detail, checked_at = excluded.checked_at,
                    next_check_at = excluded.next_check_at
                """
            )
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
                        ).self
                    )
                checks[id] = DomainCheckRecord(
                    stsRecord: sts,
                    publishedID: published,
                    stsRecordDetail: stsDetail,
                    tlsrptRecord: tlsrpt,
                    tlsrptRecordDetail: tlsrptDetail,
                    policyFetch: fetch,
                    policyFetchDetail: fetchDetail,
                    checkedAt: checkedAt,
                    nextCheckAt: next
                )
            }
            return checks
        }
    }
}

import Database
package import Foundation
package import TLSReporting

/// SQL for TLS-RPT: the reporting tokens of domains, and the reports they received (`tlsrpt_reports` and its
/// policies and failures).
package struct ReportRepository: Sendable {
    let pool: PostgresPool

    /// The tokens that accept reports now: those of verified domains and of domains still offboarding (their
    /// senders keep reporting while cached policies expire).
    package func activeTokens() throws -> [String: ReportTokenTarget] {
        try pool.withConnection { connection in
            var tokens: [String: ReportTokenTarget] = [:]
            for row in try connection.query(
                """
                SELECT report_token, id, name FROM domains
                WHERE status IN (\(DomainStatus.verified), \(DomainStatus.offboarding))
                """
            ) {
                let (token, id, name) = try row.decode((String, UUID, String).self)
                tokens[token] = ReportTokenTarget(domainID: id, domainName: name)
            }
            return tokens
        }
    }

    /// The domain `token` routes to, when it accepts reports now (see ``activeTokens()``).
    package func target(token: String) throws -> ReportTokenTarget? {
        try pool.withConnection { connection in
            guard
                let row = try connection.query(
                    """
                    SELECT id, name FROM domains
                    WHERE report_token = \(token) AND status IN (\(DomainStatus.verified), \(DomainStatus.offboarding))
                    """
                ).first
            else { return nil }
            let (id, name) = try row.decode((UUID, String).self)
            return ReportTokenTarget(domainID: id, domainName: name)
        }
    }

    /// The domain's reporting token.
    package func token(domainID: UUID) throws -> String? {
        try pool.withConnection { connection in
            try connection.query("SELECT report_token FROM domains WHERE id = \(domainID)").first?.decode(
                String.self,
                at: 0
            )
        }
    }

    /// Stores `report` for the domain unless the same report (``TLSReport/fingerprint``) is already there, in one
    /// transaction.
    /// - Parameters:
    ///   - appliedPolicyIDs: for each of `report.policies`, the id of the domain's version the sender applied.
    /// - Returns: the new row's id, or nil for a duplicate (or a domain deleted meanwhile).
    @discardableResult
    package func store(
        _ report: TLSReport,
        rawJSON: String,
        domainID: UUID,
        channel: ReportChannel,
        receivedAt: Date,
        appliedPolicyIDs: [String?]
    ) throws -> UUID? {
        try pool.withTransaction { connection in
            guard
                let id = try connection.query(
                    """
                    INSERT INTO tlsrpt_reports (domain_id, fingerprint, organization_name, contact_info, report_id,
                        start_at, end_at, received_at, channel, successful_sessions, failed_sessions, raw_json)
                    SELECT \(domainID), \(report.fingerprint), \(report.organizationName), \(report.contactInfo),
                        \(report.reportID), \(report.start), \(report.end), \(receivedAt), \(channel.rawValue),
                        \(report.totalSuccessfulSessions), \(report.totalFailedSessions), \(rawJSON)
                    WHERE EXISTS (SELECT 1 FROM domains WHERE id = \(domainID))
                    ON CONFLICT (domain_id, fingerprint) DO NOTHING
                    RETURNING id
                    """
                ).first?.decode(UUID.self, at: 0)
            else { return nil }
            for (position, policy) in report.policies.enumerated() {
                let applied = position < appliedPolicyIDs.count ? appliedPolicyIDs[position] : nil
                try connection.execute(
                    """
                    INSERT INTO tlsrpt_report_policies (report_id, position, policy_type, policy_domain, mx_hosts,
                        policy_string, applied_policy_id, successful_sessions, failed_sessions)
                    VALUES (\(id), \(position), \(policy.policyType), \(policy.policyDomain),
                        \(PostgresTextArray(policy.mxHosts)), \(PostgresTextArray(policy.policyString)), \(applied),
                        \(policy.successfulSessions), \(policy.failedSessions))
                    """
                )
                guard !policy.failureDetails.isEmpty else { continue }
                let failures = policy.failureDetails
                // One statement per policy, however many details: the columns travel as arrays ('' for absent).
                func column(_ value: (TLSReportFailure) -> String?) -> PostgresTextArray {
                    PostgresTextArray(failures.map { value($0) ?? "" })
                }
                try connection.execute(
                    """
                    INSERT INTO tlsrpt_failures (report_id, policy_position, position, result_type, sending_mta_ip,
                        receiving_mx_hostname, receiving_mx_helo, receiving_ip, failed_session_count,
                        additional_information, failure_reason_code)
                    SELECT \(id), \(position), f.ordinality - 1, f.result_type, NULLIF(f.sending_mta_ip, ''),
                        NULLIF(f.mx, ''), NULLIF(f.helo, ''), NULLIF(f.ip, ''), f.count::bigint,
                        NULLIF(f.info, ''), NULLIF(f.reason, '')
                    FROM unnest(\(column { $0.resultType }), \(column { $0.sendingMTAIP }),
                                \(column { $0.receivingMXHostname }), \(column { $0.receivingMXHelo }),
                                \(column { $0.receivingIP }), \(column { String($0.failedSessionCount) }),
                                \(column { $0.additionalInformation }), \(column { $0.failureReasonCode }))
                         WITH ORDINALITY AS f(result_type, sending_mta_ip, mx, helo, ip, count, info, reason, ordinality)
                    """
                )
            }
            return id
        }
    }

    private static let listingColumns = """
        r.id, r.organization_name, r.contact_info, r.report_id, r.start_at, r.end_at, r.received_at, r.channel,
        r.successful_sessions, r.failed_sessions,
        ARRAY(SELECT DISTINCT p.applied_policy_id FROM tlsrpt_report_policies p
              WHERE p.report_id = r.id AND p.applied_policy_id IS NOT NULL ORDER BY 1),
        EXISTS (SELECT 1 FROM tlsrpt_report_policies p WHERE p.report_id = r.id AND p.applied_policy_id IS NULL)
        """

    private static func listing(_ row: PostgresRow) throws -> StoredReportListing {
        let (
            id, organization, contact, reportID, start, end, received, channel, successful, failed, applied, unmatched
        ) =
            try row.decode(
                (UUID, String, String?, String, Date, Date, Date, String, Int, Int, PostgresTextArray, Bool).self
            )
        return StoredReportListing(
            id: id,
            organizationName: organization,
            contactInfo: contact,
            reportID: reportID,
            start: start,
            end: end,
            receivedAt: received,
            channel: ReportChannel(rawValue: channel) ?? .https,
            successfulSessions: successful,
            failedSessions: failed,
            appliedPolicyIDs: applied.elements,
            hasUnmatchedPolicy: unmatched
        )
    }

    /// The domain's reports whose period starts in `from..<to`, newest first; `before` continues a page from the
    /// last listing's (start, id).
    package func list(
        domainID: UUID,
        from: Date,
        to: Date,
        limit: Int,
        before: (start: Date, id: UUID)? = nil
    ) throws -> [StoredReportListing] {
        try pool.withConnection { connection in
            let hasCursor = before != nil
            let cursorStart = before?.start ?? to
            let cursorID = before?.id ?? UUID()
            return try connection.query(
                """
                SELECT \(unsafeSQL: Self.listingColumns) FROM tlsrpt_reports r
                WHERE r.domain_id = \(domainID) AND r.start_at >= \(from) AND r.start_at < \(to)
                  AND (NOT \(hasCursor) OR (r.start_at, r.id) < (\(cursorStart), \(cursorID)))
                ORDER BY r.start_at DESC, r.id DESC
                LIMIT \(limit)
                """
            ).map(Self.listing)
        }
    }

    /// One report of the domain with its policies and failures, or nil when the domain has no such report.
    package func report(domainID: UUID, id: UUID) throws -> StoredReport? {
        try pool.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
            guard
                let row = try connection.query(
                    """
                    SELECT \(unsafeSQL: Self.listingColumns) FROM tlsrpt_reports r
                    WHERE r.domain_id = \(domainID) AND r.id = \(id)
                    """
                ).first,
                let rawJSON = try connection.query("SELECT raw_json FROM tlsrpt_reports WHERE id = \(id)").first?
                    .decode(String.self, at: 0)
            else { return nil }
            let listing = try Self.listing(row)
            var failures: [Int: [StoredReportFailure]] = [:]
            for failure in try connection.query(
                """
                SELECT policy_position, result_type, sending_mta_ip, receiving_mx_hostname, receiving_mx_helo,
                       receiving_ip, failed_session_count, additional_information, failure_reason_code
                FROM tlsrpt_failures WHERE report_id = \(id) ORDER BY policy_position, position
                """
            ) {
                let (position, type, sending, mx, helo, ip, count, information, reason) = try failure.decode(
                    (Int, String, String?, String?, String?, String?, Int, String?, String?).self
                )
                failures[position, default: []].append(
                    StoredReportFailure(
                        resultType: type,
                        sendingMTAIP: sending,
                        receivingMXHostname: mx,
                        receivingMXHelo: helo,
                        receivingIP: ip,
                        failedSessionCount: count,
                        additionalInformation: information,
                        failureReasonCode: reason
                    )
                )
            }
            let policies = try connection.query(
                """
                SELECT position, policy_type, policy_domain, mx_hosts, policy_string, applied_policy_id,
                       successful_sessions, failed_sessions
                FROM tlsrpt_report_policies WHERE report_id = \(id) ORDER BY position
                """
            ).map { policy in
                let (position, type, domain, mx, lines, applied, successful, failed) = try policy.decode(
                    (Int, String, String, PostgresTextArray, PostgresTextArray, String?, Int, Int).self
                )
                return StoredReportPolicy(
                    policyType: type,
                    policyDomain: domain,
                    mxHosts: mx.elements,
                    policyString: lines.elements,
                    appliedPolicyID: applied,
                    successfulSessions: successful,
                    failedSessions: failed,
                    failures: failures[position] ?? []
                )
            }
            return StoredReport(listing: listing, policies: policies, rawJSON: rawJSON)
        }
    }

    /// Totals of the domain's reports whose period starts at or after `since`.
    package func summary(domainID: UUID, since: Date) throws -> ReportSummary {
        try pool.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
            let days = try connection.query(
                """
                SELECT date_trunc('day', start_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
                       sum(successful_sessions)::bigint, sum(failed_sessions)::bigint, count(*)
                FROM tlsrpt_reports WHERE domain_id = \(domainID) AND start_at >= \(since)
                GROUP BY day ORDER BY day
                """
            ).map { row in
                let (day, successful, failed, reports) = try row.decode((Date, Int, Int, Int).self)
                return ReportSummary.Day(
                    date: day,
                    successfulSessions: successful,
                    failedSessions: failed,
                    reports: reports
                )
            }
            func counts(_ key: String) throws -> [ReportSummary.Count] {
                try connection.query(
                    """
                    SELECT coalesce(\(unsafeSQL: key), ''), sum(f.failed_session_count)::bigint AS failed
                    FROM tlsrpt_failures f JOIN tlsrpt_reports r ON r.id = f.report_id
                    WHERE r.domain_id = \(domainID) AND r.start_at >= \(since)
                    GROUP BY 1 ORDER BY failed DESC, 1 LIMIT 50
                    """
                ).map { row in
                    let (key, failed) = try row.decode((String, Int).self)
                    return ReportSummary.Count(key: key, failedSessions: failed)
                }
            }
            let reporters = try connection.query(
                """
                SELECT r.organization_name, count(*), sum(r.successful_sessions)::bigint, sum(r.failed_sessions)::bigint, max(r.end_at),
                       (SELECT p.applied_policy_id FROM tlsrpt_reports r2
                        JOIN tlsrpt_report_policies p ON p.report_id = r2.id AND p.applied_policy_id IS NOT NULL
                        WHERE r2.domain_id = \(domainID) AND r2.organization_name = r.organization_name
                        ORDER BY r2.end_at DESC, p.position LIMIT 1)
                FROM tlsrpt_reports r WHERE r.domain_id = \(domainID) AND r.start_at >= \(since)
                GROUP BY r.organization_name ORDER BY max(r.end_at) DESC, r.organization_name
                """
            ).map { row in
                let (name, reports, successful, failed, last, applied) = try row.decode(
                    (String, Int, Int, Int, Date, String?).self
                )
                return ReportSummary.Reporter(
                    organizationName: name,
                    reports: reports,
                    successfulSessions: successful,
                    failedSessions: failed,
                    lastReportEnd: last,
                    lastAppliedPolicyID: applied
                )
            }
            return ReportSummary(
                days: days,
                failuresByResultType: try counts("f.result_type"),
                failuresByReceivingMX: try counts("f.receiving_mx_hostname"),
                reporters: reporters
            )
        }
    }

    /// What enforce readiness reads: the distinct UTC days covered by the domain's reports that start at or after
    /// `since`, and their failed sessions by result type.
    package func coverage(domainID: UUID, since: Date) throws -> (reportDays: Int, failures: [String: Int]) {
        try pool.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
            let days =
                try connection.query(
                    """
                    SELECT count(DISTINCT date_trunc('day', start_at AT TIME ZONE 'UTC')) FROM tlsrpt_reports
                    WHERE domain_id = \(domainID) AND start_at >= \(since)
                    """
                ).first?.decode(Int.self, at: 0) ?? 0
            var failures: [String: Int] = [:]
            for row in try connection.query(
                """
                SELECT f.result_type, sum(f.failed_session_count)::bigint
                FROM tlsrpt_failures f JOIN tlsrpt_reports r ON r.id = f.report_id
                WHERE r.domain_id = \(domainID) AND r.start_at >= \(since)
                GROUP BY f.result_type
                """
            ) {
                let (type, count) = try row.decode((String, Int).self)
                failures[type] = count
            }
            return (days, failures)
        }
    }
}

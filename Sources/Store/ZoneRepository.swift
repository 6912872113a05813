import Database
package import Foundation
import MTASTS

/// One served domain as the platform's DNS zone needs it.
package struct ZoneRow: Sendable, Hashable {
    /// The policy at a change-log position: its id may be announced once every live edge has applied `seq`.
    package struct AnnouncedPolicy: Sendable, Hashable, Codable {
        package var policyID: String
        /// The change row that published it (0 for policies from before the change was recorded).
        package var seq: Int64

        package init(policyID: String, seq: Int64) {
            self.policyID = policyID
            self.seq = seq
        }
    }

    /// The Policy Host (`mta-sts.<domain>`), the key of the change log.
    package var host: String
    /// The domain's label in the zone (`<label>._mta-sts.<zone>`).
    package var label: String
    /// The current policy.
    package var current: AnnouncedPolicy
    /// The policy it superseded, announced while an edge has not applied the current one yet.
    package var previous: AnnouncedPolicy?
    /// TLS-RPT `rua` URIs; empty when the tenant configured none.
    package var tlsrptRUA: [String]
    /// The token of the domain's platform reporting addresses.
    package var reportToken: String

    package init(
        host: String,
        label: String,
        current: AnnouncedPolicy,
        previous: AnnouncedPolicy?,
        tlsrptRUA: [String],
        reportToken: String = ""
    ) {
        self.host = host
        self.label = label
        self.current = current
        self.previous = previous
        self.tlsrptRUA = tlsrptRUA
        self.reportToken = reportToken
    }
}

/// SQL for the platform's DNS zone: label, the current and previous policy ids with the change rows that
/// published them, and the TLS-RPT addresses of every served domain (`served_domains`). Read-only; never on
/// a query path (the `dns` role answers from memory).
package struct ZoneRepository: Sendable {
    let pool: PostgresPool

    /// Every served domain and the change-log position the rows reflect, in one database snapshot.
    package func loadAll(lookback: Int64, at now: Date = Date()) throws -> FollowedLoad<[ZoneRow]> {
        try ChangeLogRepository.load(from: pool, lookback: lookback) { connection in
            try Self.rows(on: connection, hosts: nil, at: now)
        }
    }

    /// The rows of `hosts` (Policy Hosts) that are served; a host missing from the result is not.
    package func load(hosts: Set<String>, at now: Date = Date()) throws -> [ZoneRow] {
        guard !hosts.isEmpty else { return [] }
        return try pool.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
            try Self.rows(on: connection, hosts: hosts, at: now)
        }
    }

    /// The rows of the next `limit` served domains after `after` (a Policy Host, "" for the first slice) in
    /// byte order, in one database snapshot: a reconcile reads one slice at a time.
    package func loadSlice(
        after: String,
        limit: Int,
        at now: Date = Date()
    ) throws -> (
        rows: [ZoneRow], range: HostRange
    ) {
        try pool.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
            let range = try HostRange.next(after: after, limit: limit, on: connection, at: now)
            return (try Self.rows(on: connection, hosts: nil, range: range, at: now), range)
        }
    }

    /// The rows of `hosts`, or of the hosts in `range`, or of every host when both are nil.
    private static func rows(
        on connection: PostgresConnection,
        hosts: Set<String>?,
        range: HostRange? = nil,
        at now: Date
    ) throws -> [ZoneRow] {
        let all = hosts == nil && range == nil
        let names = PostgresTextArray((hosts ?? []).compactMap(DomainName.policyDomainName(ofPolicyHost:)))
        // Byte order (`COLLATE "C"`), as ``HostRange`` compares; a NULL `throughName` runs to the end.
        let inRange = range != nil
        let afterName = range.flatMap { DomainName.policyDomainName(ofPolicyHost: $0.after) } ?? ""
        let throughName = range?.through.flatMap(DomainName.policyDomainName(ofPolicyHost:))
        return try connection.query(
            """
            SELECT \(DomainName.policyHostPrefix) || d.name, d.dns_label, d.tlsrpt_rua, d.report_token,
                   current.policy_id, coalesce(current.change_seq, 0), previous.policy_id, previous.change_seq
            FROM served_domains(\(now)) d
            \(unsafeSQL: ServedHostRepository.currentPolicyJoin(as: "current", everyDomain: all))
            LEFT JOIN LATERAL (
                SELECT p.policy_id, coalesce(p.change_seq, 0) AS change_seq FROM policies p
                WHERE p.domain_id = d.id AND p.superseded_at IS NOT NULL
                ORDER BY p.created_at DESC, p.id DESC LIMIT 1
            ) previous ON true
            WHERE \(all) OR d.name = ANY(\(names))
               OR (\(inRange) AND d.name COLLATE "C" > \(afterName)
                   AND (\(throughName) IS NULL OR d.name COLLATE "C" <= \(throughName)))
            """
        ).map { row in
            let (host, label, rua, token, currentID, currentSeq, previousID, previousSeq) = try row.decode(
                (String, String, PostgresTextArray, String, String, Int64, String?, Int64?).self
            )
            return ZoneRow(
                host: host,
                label: label,
                current: .init(policyID: currentID, seq: currentSeq),
                previous: previousID.map { .init(policyID: $0, seq: previousSeq ?? 0) },
                tlsrptRUA: rua.elements,
                reportToken: token
            )
        }
    }
}

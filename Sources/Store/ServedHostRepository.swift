import Crypto
import Database
package import Foundation
import MTASTS

/// The parts of a host's served state; a change of one ``ChangeKind`` touches only some of them.
package struct ServedParts: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8

    package init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The current policy of a served domain.
    package static let policy = ServedParts(rawValue: 1)
    /// The current, unexpired certificate of a served domain.
    package static let certificate = ServedParts(rawValue: 2)
    /// Unexpired http-01 answers.
    package static let challenges = ServedParts(rawValue: 4)
    /// The domain's TLS-RPT addresses (served by the platform's DNS zone, not by edges).
    package static let tlsrpt = ServedParts(rawValue: 8)
    /// Everything.
    package static let all: ServedParts = [.policy, .certificate, .challenges, .tlsrpt]

    /// The parts a change of `kind` may have changed.
    package init(changed kind: ChangeKind) {
        switch kind {
        case .policy: self = .policy
        case .certificate: self = .certificate
        case .challenge: self = .challenges
        case .domain: self = .all
        case .tlsrpt: self = .tlsrpt
        }
    }
}

/// One served policy: `host` answers `text` under `policyID`.
package struct ServedPolicyRow: Sendable, Hashable {
    package var host: String
    package var policyID: String
    package var text: String
}

/// One served certificate, its key still sealed with the master key.
package struct ServedCertificateRow: Sendable, Hashable {
    package var host: String
    package var id: UUID
    package var chainPEM: String
    /// The private key's PEM, sealed and bound to this row (``SecretOwner/certificateKey(id:host:)``).
    package var sealedKey: SealedSecret
    package var notAfter: Date
}

/// One http-01 answer.
package struct ServedChallengeRow: Sendable, Hashable {
    package var host: String
    package var token: String
    package var keyAuthorization: String
}

/// One row of what is served, as ``ServedHostRepository`` reads it.
package enum ServedHostRow: Sendable, Hashable {
    case policy(ServedPolicyRow)
    case certificate(ServedCertificateRow)
    case challenge(ServedChallengeRow)
}

/// Rows of what is served, for some or all hosts.
package struct ServedHostRows: Sendable {
    package var policies: [ServedPolicyRow] = []
    package var certificates: [ServedCertificateRow] = []
    package var challenges: [ServedChallengeRow] = []

    package init() {}

    /// Files `row` under its kind.
    package mutating func append(_ row: ServedHostRow) {
        switch row {
        case .policy(let policy): policies.append(policy)
        case .certificate(let certificate): certificates.append(certificate)
        case .challenge(let challenge): challenges.append(challenge)
        }
    }
}

/// Rows read in one database snapshot together with the change-log position they reflect.
package struct FollowedLoad<Rows: Sendable>: Sendable {
    package var rows: Rows
    /// The highest change-log `seq` when the rows were read.
    package var sequence: Int64
    /// The change rows of the look-back window (`seq > sequence - lookback`) that the rows already reflect.
    package var reflectedChanges: Set<Int64>
}

/// SQL for what the edges serve: the policies and certificates of served domains (`served_domains`) and
/// the http-01 answers, by host. Read-only; never on a request path (edges answer from memory).
package struct ServedHostRepository: Sendable {
    let pool: PostgresPool

    /// Everything served now and the change-log position it reflects, in one `REPEATABLE READ` snapshot, so
    /// the rows and the reflected change rows agree exactly.
    ///
    /// Rows are folded into `initial` as they arrive from the server, so a million hosts are never resident
    /// twice (as rows and as whatever `fold` builds from them).
    /// - Parameters:
    ///   - lookback: how far below the newest `seq` to list reflected change rows; a writer's `seq` is
    ///     assigned before its commit, so a lower number can become visible after a higher one.
    ///   - fold: called once per row, policies first, then certificates, then http-01 answers.
    package func loadAll<Result: Sendable>(
        lookback: Int64,
        at now: Date = Date(),
        into initial: Result,
        _ fold: (inout Result, ServedHostRow) throws -> Void
    ) throws -> FollowedLoad<Result> {
        try ChangeLogRepository.load(from: pool, lookback: lookback) { connection in
            var result = initial
            try Self.forEachRow(on: connection, filter: .all, parts: .all, at: now) { row in
                try fold(&result, row)
            }
            return result
        }
    }

    /// The current `parts` of `hosts` (Policy Hosts, normalised); a host with no row in a part no longer
    /// serves that part.
    package func load(hosts: Set<String>, parts: ServedParts, at now: Date = Date()) throws -> ServedHostRows {
        guard !hosts.isEmpty, !parts.isEmpty else { return ServedHostRows() }
        return try pool.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
            var rows = ServedHostRows()
            try Self.forEachRow(on: connection, filter: .hosts(hosts), parts: parts, at: now) { rows.append($0) }
            return rows
        }
    }

    /// Every part of the next slice of hosts in byte order: the next `limit` served domains after `after` (a
    /// Policy Host, "" for the first slice), and the http-01 answers of any host in the same range, read in one
    /// database snapshot. A reconcile reads one slice at a time, so it never holds a second copy of every host.
    package func loadSlice(
        after: String,
        limit: Int,
        at now: Date = Date()
    ) throws -> (
        rows: ServedHostRows, range: HostRange
    ) {
        try pool.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
            let range = try HostRange.next(after: after, limit: limit, on: connection, at: now)
            var rows = ServedHostRows()
            try Self.forEachRow(on: connection, filter: .range(range), parts: .all, at: now) { rows.append($0) }
            return (rows, range)
        }
    }

    /// The join from each served domain `d` to its current policy, named `alias` (program text, never input).
    /// For every domain, one pass over `policies` (a hash join). For some, one index lookup each: the planner
    /// cannot estimate how many names a byte-order range holds, and with a million policies it chose to read
    /// them all for every reconcile slice of 5,000 (0.3–0.4 s a slice, against 0.05 s with lookups). At most one
    /// row either way: `policies_current_key`.
    static func currentPolicyJoin(as alias: String, everyDomain: Bool) -> String {
        guard !everyDomain else {
            return "JOIN policies \(alias) ON \(alias).domain_id = d.id AND \(alias).superseded_at IS NULL"
        }
        return """
            CROSS JOIN LATERAL (
                SELECT * FROM policies WHERE domain_id = d.id AND superseded_at IS NULL LIMIT 1
            ) \(alias)
            """
    }

    /// Which hosts a read covers.
    private enum HostFilter {
        case all
        case hosts(Set<String>)
        case range(HostRange)
    }

    /// Hands `body` each row of `parts` for the hosts `filter` selects, as it arrives.
    private static func forEachRow(
        on connection: PostgresConnection,
        filter hostFilter: HostFilter,
        parts: ServedParts,
        at now: Date,
        _ body: (ServedHostRow) throws -> Void
    ) throws {
        var all = false
        var hosts: [String] = []
        // Outside a range, `after` and `through` select nothing; inside one, the host lists are unused.
        var inRange = false
        var after = ""
        var through: String?
        switch hostFilter {
        case .all: all = true
        case .hosts(let set): hosts = Array(set)
        case .range(let range):
            inRange = true
            after = range.after
            through = range.through
        }
        let hostList = PostgresTextArray(hosts)
        let nameList = PostgresTextArray(hosts.compactMap(DomainName.policyDomainName(ofPolicyHost:)))
        // Names compare in byte order (`COLLATE "C"`, the order of `domains_name_bytewise_idx` and of
        // ``HostRange``); `throughName` is NULL for a range that runs to the end.
        let afterName = DomainName.policyDomainName(ofPolicyHost: after) ?? ""
        let throughName = through.flatMap(DomainName.policyDomainName(ofPolicyHost:))
        let prefix = DomainName.policyHostPrefix
        if parts.contains(.policy) {
            try connection.forEachRow(
                """
                SELECT \(prefix) || d.name, p.policy_id, p.text
                FROM served_domains(\(now)) d
                \(unsafeSQL: Self.currentPolicyJoin(as: "p", everyDomain: all))
                WHERE \(all) OR d.name = ANY(\(nameList))
                   OR (\(inRange) AND d.name COLLATE "C" > \(afterName)
                       AND (\(throughName) IS NULL OR d.name COLLATE "C" <= \(throughName)))
                """
            ) { row in
                let (host, policyID, text) = try row.decode((String, String, String).self)
                try body(.policy(ServedPolicyRow(host: host, policyID: policyID, text: text)))
            }
        }
        if parts.contains(.certificate) {
            try connection.forEachRow(
                """
                SELECT c.host, c.id, c.chain_pem, c.key_id, c.key_nonce, c.key_ciphertext, c.key_binding, c.not_after
                FROM certificates c JOIN served_domains(\(now)) d ON d.id = c.domain_id
                WHERE c.replaced_by IS NULL AND c.not_after > \(now)
                  AND (\(all) OR d.name = ANY(\(nameList))
                       OR (\(inRange) AND d.name COLLATE "C" > \(afterName)
                           AND (\(throughName) IS NULL OR d.name COLLATE "C" <= \(throughName))))
                """
            ) { row in
                let (host, id, chain, keyID, nonce, ciphertext, binding, notAfter) = try row.decode(
                    (String, UUID, String, String, PostgresBytes, PostgresBytes, SecretBinding, Date).self
                )
                let key = SealedSecret(
                    value: EncryptedValue(keyID: keyID, nonce: nonce.bytes, ciphertext: ciphertext.bytes),
                    owner: .certificateKey(id: id, host: host),
                    binding: binding
                )
                try body(
                    .certificate(
                        ServedCertificateRow(host: host, id: id, chainPEM: chain, sealedKey: key, notAfter: notAfter)
                    )
                )
            }
        }
        if parts.contains(.challenges) {
            try connection.forEachRow(
                """
                SELECT host, token, key_authorization FROM acme_challenges
                WHERE expires_at > \(now)
                  AND (\(all) OR host = ANY(\(hostList))
                       OR (\(inRange) AND host COLLATE "C" > \(after)
                           AND (\(through) IS NULL OR host COLLATE "C" <= \(through))))
                """
            ) { row in
                let (host, token, keyAuthorization) = try row.decode((String, String, String).self)
                try body(.challenge(ServedChallengeRow(host: host, token: token, keyAuthorization: keyAuthorization)))
            }
        }
    }
}

import Crypto
import Database
import Foundation
import Synchronization

/// Reads the edge's view of the world from PostgreSQL: read-only queries, never on the request path.
///
/// The edge's read side lives here rather than in `Store` so the edge depends on nothing but the schema.
/// Served hosts are `mta-sts.<name>` of domains that are verified, or offboarding and still inside their
/// `serve_until` window (RFC 8461 §8.3).
package final class PostgresSnapshotSource: SnapshotSource {
    /// The NOTIFY channel every writer signals on.
    package static let channel = "mtasts_changes"
    /// How far behind the newest known sequence to re-read, so a change whose transaction committed after a
    /// later-numbered one is not missed.
    static let lookback: Int64 = 200

    private let connectionString: String
    private let listener = Mutex<PostgresConnection?>(nil)
    private let reader = Mutex<PostgresConnection?>(nil)

    package init(connectionString: String) {
        self.connectionString = connectionString
    }

    package func reset() {
        listener.withLock { $0 = nil }
        reader.withLock { $0 = nil }
    }

    package func loadAll() throws -> (snapshot: EdgeSnapshot, seen: Set<Int64>) {
        try withReader { connection in
            // One REPEATABLE READ snapshot: the entries and the change rows it reflects agree exactly.
            try connection.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
                let sequence =
                    try connection.query("SELECT coalesce(max(seq), 0)::int8 FROM changes").first?
                    .decode(Int64.self, at: 0) ?? 0
                let seen = Set(try Self.changes(connection: connection, after: sequence).map(\.seq))
                let entries = try Self.entries(connection: connection, names: nil)
                return (EdgeSnapshot(hosts: entries, sequence: sequence, builtAt: Date()), seen)
            }
        }
    }

    package func changes(after sequence: Int64) throws -> [(seq: Int64, host: String)] {
        try withReader { connection in try Self.changes(connection: connection, after: sequence) }
    }

    private static func changes(
        connection: PostgresConnection,
        after sequence: Int64
    ) throws -> [(seq: Int64, host: String)] {
        try connection.query(
            "SELECT seq, host FROM changes WHERE seq > \(max(0, sequence - lookback)) ORDER BY seq"
        ).map { row in
            let (seq, host) = try row.decode((Int64, String).self)
            return (seq, EdgeSnapshot.normalise(host))
        }
    }

    package func load(hosts: Set<String>) throws -> [String: EdgeSnapshot.HostEntry] {
        guard !hosts.isEmpty else { return [:] }
        let names = hosts.compactMap { host -> String? in
            host.hasPrefix("mta-sts.") ? String(host.dropFirst("mta-sts.".count)) : nil
        }
        return try withReader { connection in
            try connection.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
                try Self.entries(connection: connection, names: names)
            }
        }
    }

    package func waitForChange(timeout: Duration) throws -> Bool {
        let connection = try listener.withLock { stored -> PostgresConnection in
            if let stored, stored.isOpen { return stored }
            let connection = try PostgresConnection(connectionString: connectionString, statementTimeout: .seconds(10))
            try connection.listen(Self.channel)
            stored = connection
            return connection
        }
        do {
            return try !connection.waitForNotifications(timeout: timeout).isEmpty
        } catch {
            listener.withLock { $0 = nil }
            throw error
        }
    }

    // MARK: - Queries

    private func withReader<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        try reader.withLock { stored in
            if stored == nil || stored?.isOpen == false {
                stored = try PostgresConnection(connectionString: connectionString, statementTimeout: .seconds(30))
            }
            guard let connection = stored else { throw DatabaseError(.connectionFailed, "no reader connection") }
            do {
                return try body(connection)
            } catch let error as DatabaseError where error.invalidatesConnection {
                stored = nil
                throw error
            }
        }
    }

    /// Entries for the given domain names, or for every served domain when `names` is nil.
    private static func entries(
        connection: PostgresConnection,
        names: [String]?
    ) throws -> [String: EdgeSnapshot.HostEntry] {
        let all = names == nil
        let filter = PostgresTextArray(names ?? [])
        var entries: [String: EdgeSnapshot.HostEntry] = [:]
        let policies = try connection.query(
            """
            SELECT 'mta-sts.' || d.name, p.policy_id, p.text
            FROM domains d JOIN policies p ON p.domain_id = d.id AND p.superseded_at IS NULL
            WHERE (d.status = 'verified' OR (d.status = 'offboarding' AND d.serve_until > now()))
              AND (\(all) OR d.name = ANY(\(filter)))
            """
        )
        for row in policies {
            let (host, policyID, text) = try row.decode((String, String, String).self)
            entries[host, default: .init()].policy = EdgeSnapshot.Policy(text: text, policyID: policyID)
        }
        let certificates = try connection.query(
            """
            SELECT c.host, c.id, c.chain_pem, c.key_ciphertext, c.key_nonce, c.key_id, c.not_after
            FROM certificates c JOIN domains d ON d.id = c.domain_id
            WHERE c.replaced_by IS NULL AND c.not_after > now()
              AND (d.status = 'verified' OR (d.status = 'offboarding' AND d.serve_until > now()))
              AND (\(all) OR d.name = ANY(\(filter)))
            """
        )
        for row in certificates {
            let (host, id, chain, ciphertext, nonce, keyID, notAfter) =
                try row.decode((String, UUID, String, PostgresBytes, PostgresBytes, String, Date).self)
            let encrypted = EncryptedValue(keyID: keyID, nonce: nonce.bytes, ciphertext: ciphertext.bytes).encoded
            entries[EdgeSnapshot.normalise(host), default: .init()].certificate = EdgeSnapshot.Certificate(
                id: id,
                chainPEM: chain,
                encryptedKey: encrypted,
                notAfter: notAfter
            )
        }
        let challenges = try connection.query(
            """
            SELECT host, token, key_authorization FROM acme_challenges
            WHERE expires_at > now() AND (\(all) OR host = ANY(\(PostgresTextArray((names ?? []).map { "mta-sts." + $0 }))))
            """
        )
        for row in challenges {
            let (host, token, keyAuthorization) = try row.decode((String, String, String).self)
            entries[EdgeSnapshot.normalise(host), default: .init()].challenges[token] = keyAuthorization
        }
        if let names {
            for name in names where entries["mta-sts." + name] == nil { entries["mta-sts." + name] = .init() }
        }
        return entries
    }
}

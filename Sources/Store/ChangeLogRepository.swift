import Database
package import Foundation

/// One entry of the change log.
package struct ChangeRecord: Sendable, Hashable {
    package var seq: Int64
    /// The host whose served state changed (lower-case, e.g. `mta-sts.example.com`).
    package var host: String
    package var kind: ChangeKind
    package var at: Date

    package init(seq: Int64, host: String, kind: ChangeKind, at: Date) {
        self.seq = seq
        self.host = host
        self.kind = kind
        self.at = at
    }
}

/// SQL for `changes`: every write that edges (and the worker's scheduler) must see appends a row and
/// notifies ``channel``, in the writer's transaction.
package struct ChangeLogRepository: Sendable {
    /// The one NOTIFY channel of the platform; the payload is the new `seq`. Followers ``ChangeListener``
    /// listen on it.
    package static let channel = "mtasts_changes"

    let pool: PostgresPool

    /// Appends a change inside the caller's transaction and sends `NOTIFY mtasts_changes, '<seq>'`, which
    /// PostgreSQL delivers only when that transaction commits.
    /// - Returns: the new sequence number.
    @discardableResult
    static func append(
        on connection: PostgresConnection,
        host: String,
        kind: ChangeKind,
        at now: Date = Date()
    ) throws -> Int64 {
        let rows = try connection.query(
            "INSERT INTO changes (host, kind, at) VALUES (\(host), \(kind), \(now)) RETURNING seq"
        )
        let seq = try AccountRepository.single(rows).decode(Int64.self, at: 0)
        try connection.notify(channel, payload: String(seq))
        return seq
    }

    /// Change rows with `seq > after`, oldest first, at most `limit`.
    package func changes(after seq: Int64, limit: Int = 1000) throws -> [ChangeRecord] {
        try pool.withConnection { try Self.changes(on: $0, after: seq, limit: limit) }
    }

    static func changes(on connection: PostgresConnection, after seq: Int64, limit: Int?) throws -> [ChangeRecord] {
        try connection.query(
            // `LIMIT NULL` is no limit.
            "SELECT seq, host, kind, at FROM changes WHERE seq > \(seq) ORDER BY seq LIMIT \(limit)"
        ).map { row in
            let (seq, host, kind, at) = try row.decode((Int64, String, ChangeKind, Date).self)
            return ChangeRecord(seq: seq, host: host, kind: kind, at: at)
        }
    }

    /// Reads `rows` and the change-log position they reflect in one `REPEATABLE READ` snapshot, so the rows
    /// and the reflected change rows agree exactly: what a follower's full load needs.
    /// - Parameter lookback: how far below the newest `seq` to list reflected change rows; a writer's `seq`
    ///   is assigned before its commit, so a lower number can become visible after a higher one.
    static func load<Rows: Sendable>(
        from pool: PostgresPool,
        lookback: Int64,
        _ rows: (PostgresConnection) throws -> Rows
    ) throws -> FollowedLoad<Rows> {
        try pool.withTransaction(isolation: "REPEATABLE READ, READ ONLY") { connection in
            let sequence = try newestSequence(on: connection)
            let reflected = try changes(on: connection, after: max(0, sequence - lookback), limit: nil)
            return FollowedLoad(
                rows: try rows(connection),
                sequence: sequence,
                reflectedChanges: Set(reflected.map(\.seq))
            )
        }
    }

    /// The highest `seq` written so far (0 for an empty log).
    static func newestSequence(on connection: PostgresConnection) throws -> Int64 {
        try AccountRepository.single(try connection.query("SELECT coalesce(max(seq), 0)::int8 FROM changes"))
            .decode(Int64.self, at: 0)
    }
}

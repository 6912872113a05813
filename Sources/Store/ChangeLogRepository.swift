package import Database
package import Foundation

/// One entry of the edge's change log.
package struct ChangeRecord: Sendable, Hashable {
    package var seq: Int64
    package var host: String
    package var kind: String
    package var at: Date
}

/// SQL for `changes`: every write the edge must see appends a row and notifies `mtasts_changes`.
package struct ChangeLogRepository: Sendable {
    /// The channel edges LISTEN on; the payload is the new `seq`.
    package static let channel = "mtasts_changes"

    let pool: PostgresPool

    /// Appends a change inside the caller's transaction and sends `NOTIFY mtasts_changes, '<seq>'`, which
    /// PostgreSQL delivers only when that transaction commits.
    /// - Parameter kind: `policy`, `certificate`, `challenge` or `domain`.
    /// - Returns: the new sequence number.
    @discardableResult
    package static func append(
        on connection: PostgresConnection,
        host: String,
        kind: String,
        at now: Date = Date()
    ) throws -> Int64 {
        let rows = try connection.query(
            "INSERT INTO changes (host, kind, at) VALUES (\(host), \(kind), \(now)) RETURNING seq"
        )
        let seq = try AccountRepository.single(rows).decode(Int64.self, at: 0)
        try connection.notify(channel, payload: String(seq))
        return seq
    }

    /// Changes after `seq`, oldest first.
    package func changes(after seq: Int64, limit: Int = 1000) throws -> [ChangeRecord] {
        try pool.withConnection { connection in
            try connection.query(
                "SELECT seq, host, kind, at FROM changes WHERE seq > \(seq) ORDER BY seq LIMIT \(limit)"
            ).map { row in
                let (seq, host, kind, at) = try row.decode((Int64, String, String, Date).self)
                return ChangeRecord(seq: seq, host: host, kind: kind, at: at)
            }
        }
    }
}

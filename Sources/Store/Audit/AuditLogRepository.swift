import Database
package import Foundation

/// SQL of the audit log (`audit_log`, Migrations/0013_audit_log.sql): appending entries, a tenant's page of them
/// newest first, and forgetting old ones.
///
/// ```swift
/// try store.auditLog.record(entry)
/// let page = try store.auditLog.list(accountID: account.id, limit: 51, before: nil)
/// ```
package struct AuditLogRepository: Sendable {
    /// The default of `MTASTS_AUDIT_LOG_DAYS`: how long entries are kept.
    package static let defaultRetentionDays = 365

    let pool: PostgresPool

    /// Appends `entry` on its own.
    /// - Returns: the stored entry's id.
    @discardableResult
    package func record(_ entry: AuditEntry) throws -> Int64 {
        try pool.withConnection { connection in try Self.insert(entry, on: connection) }
    }

    /// Appends `entry` on `connection`, inside the caller's transaction: the entry commits or rolls back with the
    /// change it describes.
    /// - Returns: the stored entry's id.
    @discardableResult
    static func insert(_ entry: AuditEntry, on connection: PostgresConnection) throws -> Int64 {
        let keys = entry.details.keys.sorted()
        let values = keys.map { String(entry.details[$0, default: ""].prefix(500)) }
        let row = try connection.query(
            """
            INSERT INTO audit_log (account_id, actor_kind, actor_detail, action, target, request_id, source_address,
                                   at, details)
            VALUES (\(entry.accountID), \(entry.actor), \(String(entry.actorDetail.prefix(200))), \(entry.action),
                    \(entry.target.map { String($0.prefix(300)) }), \(entry.requestID.map { String($0.prefix(64)) }),
                    \(entry.sourceAddress.map { String($0.prefix(64)) }), \(entry.at),
                    jsonb_object(\(PostgresTextArray(keys)), \(PostgresTextArray(values))))
            RETURNING id
            """
        ).first
        guard let row else { throw DatabaseError(.decodingFailed, "INSERT … RETURNING returned no row") }
        return try row.decode(Int64.self, at: 0)
    }

    /// The account's entries newest first, at most `limit`, older than the entry `before` when given; `target`
    /// and `action` keep only entries with exactly that target or action.
    package func list(
        accountID: UUID,
        limit: Int,
        before: Int64? = nil,
        target: String? = nil,
        action: String? = nil
    ) throws -> [AuditEntry] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT id, account_id, actor_kind, actor_detail, action, target, request_id, source_address, at,
                       ARRAY(SELECT key FROM jsonb_each_text(details) ORDER BY key),
                       ARRAY(SELECT value FROM jsonb_each_text(details) ORDER BY key)
                FROM audit_log
                WHERE account_id = \(accountID)
                  AND (\(before)::bigint IS NULL OR id < \(before))
                  AND (\(target)::text IS NULL OR target = \(target))
                  AND (\(action)::text IS NULL OR action = \(action))
                ORDER BY id DESC
                LIMIT \(limit)
                """
            ).map(Self.decode)
        }
    }

    /// Deletes entries older than `retentionDays` days before `now`.
    /// - Returns: how many were deleted.
    @discardableResult
    package func purge(olderThan retentionDays: Int, at now: Date) throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(retentionDays) * 86_400)
        return try pool.withConnection { connection in
            try connection.query(
                "WITH gone AS (DELETE FROM audit_log WHERE at < \(cutoff) RETURNING 1) SELECT count(*) FROM gone"
            ).first?.decode(Int.self, at: 0) ?? 0
        }
    }

    private static func decode(_ row: PostgresRow) throws -> AuditEntry {
        let (id, accountID, actor, detail, action, target, requestID, source, at, keys, values) = try row.decode(
            (
                Int64, UUID?, AuditActorKind, String, String, String?, String?, String?, Date, PostgresTextArray,
                PostgresTextArray
            ).self
        )
        return AuditEntry(
            id: id,
            accountID: accountID,
            actor: actor,
            actorDetail: detail,
            action: action,
            target: target,
            requestID: requestID,
            sourceAddress: source,
            at: at,
            details: Dictionary(zip(keys.elements, values.elements)) { first, _ in first }
        )
    }
}

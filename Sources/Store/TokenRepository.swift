import Crypto
import Database
package import Foundation

/// SQL for `api_tokens`: only SHA-256 digests of secrets are stored and looked up.
package struct TokenRepository: Sendable {
    let pool: PostgresPool

    static let columns = "id, account_id, name, kind, created_at, expires_at, last_used_at, created_from"

    static func decode(_ row: PostgresRow) throws -> TokenRecord {
        let (id, account, name, kind, createdAt, expiresAt, lastUsed, createdFrom) = try row.decode(
            (UUID, UUID, String, String, Date, Date?, Date?, String?).self
        )
        guard let tokenKind = TokenKind(rawValue: kind) else {
            throw DatabaseError(.decodingFailed, "unknown token kind")
        }
        return TokenRecord(
            id: id,
            accountID: account,
            name: name,
            kind: tokenKind,
            createdAt: createdAt,
            expiresAt: expiresAt,
            lastUsedAt: lastUsed,
            createdFrom: createdFrom
        )
    }

    /// Stores a token's digest.
    /// - Parameters:
    ///   - sha256: `Digest.sha256` of the secret shown to the tenant.
    ///   - expiresAt: nil for a token that does not expire.
    ///   - createdFrom: the client address a session was opened from.
    ///   - limit: most unexpired tokens of `kind` the account may hold: a new API token beyond it is refused
    ///     (`StoreError.tokenLimitReached`), a new session replaces the oldest.
    package func create(
        accountID: UUID,
        name: String,
        kind: TokenKind,
        sha256: [UInt8],
        at now: Date,
        expiresAt: Date?,
        createdFrom: String? = nil,
        limit: Int = 50
    ) throws -> TokenRecord {
        try pool.withTransaction { connection in
            // The account row serialises concurrent creations, so the count holds.
            _ = try connection.query("SELECT 1 FROM accounts WHERE id = \(accountID) FOR UPDATE")
            let held = try connection.query(
                """
                SELECT id FROM api_tokens
                WHERE account_id = \(accountID) AND kind = \(kind) AND (expires_at IS NULL OR expires_at > \(now))
                ORDER BY created_at, id
                """
            ).map { try $0.decode(UUID.self, at: 0) }
            if held.count >= limit {
                guard kind == .session else {
                    throw StoreError(
                        .tokenLimitReached,
                        "This account may hold at most \(limit) API tokens.",
                        limit: limit
                    )
                }
                for oldest in held.prefix(held.count - limit + 1) {
                    try connection.execute("DELETE FROM api_tokens WHERE id = \(oldest)")
                }
            }
            if kind == .session {
                try connection.execute("UPDATE accounts SET last_sign_in_at = \(now) WHERE id = \(accountID)")
            }
            let rows = try connection.query(
                """
                INSERT INTO api_tokens (account_id, name, kind, token_sha256, created_at, expires_at, created_from)
                VALUES (
                    \(accountID), \(name), \(kind.rawValue), \(PostgresBytes(sha256)), \(now), \(expiresAt),
                    \(createdFrom.map { String($0.prefix(64)) })
                )
                RETURNING \(unsafeSQL: Self.columns)
                """
            )
            return try Self.decode(try AccountRepository.single(rows))
        }
    }

    /// Finds the unexpired token with this digest and its account, and records `last_used_at`.
    ///
    /// The row is found through the unique index on the digest; the stored digest is then compared with
    /// `ConstantTime.equals` so that no byte-by-byte comparison of secret material happens in Swift.
    /// - Returns: nil when no token matches or it has expired.
    package func authenticate(sha256: [UInt8], at now: Date) throws -> (token: TokenRecord, account: AccountRecord)? {
        try pool.withConnection { connection in
            let rows = try connection.query(
                """
                SELECT t.token_sha256, t.id, t.account_id, t.name, t.kind, t.created_at, t.expires_at, t.last_used_at,
                       a.id, a.email, a.password_hash, a.domain_limit, a.created_at, t.created_from, a.suspended_at
                FROM api_tokens t JOIN accounts a ON a.id = t.account_id
                WHERE t.token_sha256 = \(PostgresBytes(sha256)) AND a.closed_at IS NULL
                """
            )
            guard let row = rows.first else { return nil }
            let stored = try row.decode(PostgresBytes.self, at: 0)
            guard ConstantTime.equals(stored.bytes, sha256) else { return nil }
            let (id, accountID, name, kind, createdAt, expiresAt, lastUsed) = (
                try row.decode(UUID.self, at: 1), try row.decode(UUID.self, at: 2), try row.decode(String.self, at: 3),
                try row.decode(String.self, at: 4), try row.decode(Date.self, at: 5),
                try row.decode(Date?.self, at: 6), try row.decode(Date?.self, at: 7)
            )
            if let expiresAt, expiresAt <= now { return nil }
            guard let tokenKind = TokenKind(rawValue: kind) else { return nil }
            let account = AccountRecord(
                id: try row.decode(UUID.self, at: 8),
                email: try row.decode(String.self, at: 9),
                passwordHash: try row.decode(String.self, at: 10),
                domainLimit: try row.decode(Int?.self, at: 11),
                createdAt: try row.decode(Date.self, at: 12),
                suspendedAt: try row.decode(Date?.self, at: 14)
            )
            try connection.execute("UPDATE api_tokens SET last_used_at = \(now) WHERE id = \(id)")
            let token = TokenRecord(
                id: id,
                accountID: accountID,
                name: name,
                kind: tokenKind,
                createdAt: createdAt,
                expiresAt: expiresAt,
                lastUsedAt: lastUsed,
                createdFrom: try row.decode(String?.self, at: 13)
            )
            return (token, account)
        }
    }

    /// The account's unexpired tokens of `kind`, oldest first.
    package func list(accountID: UUID, kind: TokenKind, at now: Date) throws -> [TokenRecord] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(unsafeSQL: Self.columns) FROM api_tokens
                WHERE account_id = \(accountID) AND kind = \(kind) AND (expires_at IS NULL OR expires_at > \(now))
                ORDER BY created_at, id
                """
            ).map(Self.decode)
        }
    }

    /// Deletes one of the account's tokens of `kind`.
    /// - Returns: whether a row was deleted (false for another account's token).
    package func delete(id: UUID, accountID: UUID, kind: TokenKind) throws -> Bool {
        try pool.withConnection { connection in
            try connection.execute(
                "DELETE FROM api_tokens WHERE id = \(id) AND account_id = \(accountID) AND kind = \(kind.rawValue)"
            ) == 1
        }
    }
}

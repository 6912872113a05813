import Database
package import Foundation

/// SQL for `accounts`.
package struct AccountRepository: Sendable {
    let pool: PostgresPool

    static let columns = "id, email, password_hash, domain_limit, created_at"

    static func decode(_ row: PostgresRow) throws -> AccountRecord {
        let (id, email, hash, limit, createdAt) = try row.decode((UUID, String, String, Int?, Date).self)
        return AccountRecord(id: id, email: email, passwordHash: hash, domainLimit: limit, createdAt: createdAt)
    }

    /// Creates an account.
    /// - Throws: `StoreError.duplicateEmail` when the email (ignoring case) is taken, or a `DatabaseError`.
    package func create(email: String, passwordHash: String, at now: Date) throws -> AccountRecord {
        do {
            return try pool.withConnection { connection in
                let rows = try connection.query(
                    """
                    INSERT INTO accounts (email, password_hash, created_at, updated_at)
                    VALUES (\(email), \(passwordHash), \(now), \(now))
                    RETURNING \(unsafeSQL: Self.columns)
                    """
                )
                return try Self.decode(try Self.single(rows))
            }
        } catch let error as DatabaseError where error.code == .uniqueViolation {
            throw StoreError(.duplicateEmail, "An account with this email address already exists.")
        }
    }

    /// The account with this email, ignoring case.
    package func find(email: String) throws -> AccountRecord? {
        try pool.withConnection { connection in
            try connection.query(
                "SELECT \(unsafeSQL: Self.columns) FROM accounts WHERE lower(email) = lower(\(email))"
            ).first.map(Self.decode)
        }
    }

    /// The account with this id.
    package func find(id: UUID) throws -> AccountRecord? {
        try pool.withConnection { connection in
            try connection.query("SELECT \(unsafeSQL: Self.columns) FROM accounts WHERE id = \(id)").first.map(
                Self.decode
            )
        }
    }

    static func single(_ rows: PostgresRows) throws -> PostgresRow {
        guard let row = rows.first else { throw DatabaseError(.decodingFailed, "statement returned no row") }
        return row
    }
}

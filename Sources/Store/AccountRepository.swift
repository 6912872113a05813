import Database
package import Foundation

/// SQL for `accounts`.
package struct AccountRepository: Sendable {
    let pool: PostgresPool

    static let columns = "id, email, password_hash, domain_limit, created_at, suspended_at"

    static func decode(_ row: PostgresRow) throws -> AccountRecord {
        let (id, email, hash, limit, createdAt, suspendedAt) = try row.decode(
            (UUID, String, String, Int?, Date, Date?).self
        )
        return AccountRecord(
            id: id,
            email: email,
            passwordHash: hash,
            domainLimit: limit,
            createdAt: createdAt,
            suspendedAt: suspendedAt
        )
    }

    /// Creates an account, redeeming `invitation` (the SHA-256 of an invitation code) in the same transaction
    /// when one is given.
    /// - Throws: `StoreError.duplicateEmail` when the email (ignoring case) is taken, `.invalidInvitation` when
    ///   the code is unknown, used or expired, or a `DatabaseError`.
    package func create(
        email: String,
        passwordHash: String,
        invitation: [UInt8]? = nil,
        at now: Date
    ) throws -> AccountRecord {
        do {
            return try pool.withTransaction { connection in
                let rows = try connection.query(
                    """
                    INSERT INTO accounts (email, password_hash, created_at, updated_at)
                    VALUES (\(email), \(passwordHash), \(now), \(now))
                    RETURNING \(unsafeSQL: Self.columns)
                    """
                )
                let account = try Self.decode(try Self.single(rows))
                if let invitation {
                    let redeemed = try connection.execute(
                        """
                        UPDATE invitations SET used_at = \(now), account_id = \(account.id)
                        WHERE code_sha256 = \(PostgresBytes(invitation)) AND used_at IS NULL AND expires_at > \(now)
                        """
                    )
                    guard redeemed == 1 else {
                        throw StoreError(.invalidInvitation, "The invitation code is unknown, used or expired.")
                    }
                }
                return account
            }
        } catch let error as DatabaseError where error.code == .uniqueViolation {
            throw StoreError(.duplicateEmail, "An account with this email address already exists.")
        }
    }

    /// The account with this email, ignoring case.
    package func find(email: String) throws -> AccountRecord? {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(unsafeSQL: Self.columns) FROM accounts
                WHERE lower(email) = lower(\(email)) AND closed_at IS NULL
                """
            ).first.map(Self.decode)
        }
    }

    /// Where the account's alerts go by e-mail; empty when not by e-mail.
    package func alertEmailRecipients(accountID: UUID) throws -> [String] {
        try pool.withConnection { connection in
            try connection.query("SELECT alert_email_recipients FROM accounts WHERE id = \(accountID)").first
                .map { try $0.decode(PostgresTextArray.self, at: 0).elements } ?? []
        }
    }

    /// Sets where the account's alerts go by e-mail (at most five addresses, validated by the caller).
    package func setAlertEmailRecipients(accountID: UUID, _ recipients: [String]) throws {
        try pool.withConnection { connection in
            try connection.execute(
                "UPDATE accounts SET alert_email_recipients = \(PostgresTextArray(recipients)) WHERE id = \(accountID)"
            )
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

    /// Replaces the password hash and revokes every session but `keeping` (and every API token when
    /// `revokeTokens`), in one transaction.
    /// - Returns: how many sessions and tokens were revoked.
    package func changePassword(
        accountID: UUID,
        passwordHash: String,
        keeping session: UUID,
        revokeTokens: Bool,
        at now: Date
    ) throws -> (sessions: Int, tokens: Int) {
        try pool.withTransaction { connection in
            try connection.execute(
                "UPDATE accounts SET password_hash = \(passwordHash), updated_at = \(now) WHERE id = \(accountID)"
            )
            let sessions = try connection.execute(
                """
                DELETE FROM api_tokens
                WHERE account_id = \(accountID) AND kind = \(TokenKind.session) AND id <> \(session)
                """
            )
            let tokens =
                revokeTokens
                ? try connection.execute(
                    "DELETE FROM api_tokens WHERE account_id = \(accountID) AND kind = \(TokenKind.api)"
                ) : 0
            return (sessions, tokens)
        }
    }

    /// Closes an account in one transaction: never-verified domains are deleted, verified ones offboarded
    /// (RFC 8461 §8.3: `none` served until every policy ever served has expired), every credential revoked and
    /// every webhook deleted.
    /// The email can sign up again at once.
    /// - Returns: the domains now offboarding.
    package func close(accountID: UUID, at now: Date) throws -> [DomainRecord] {
        try pool.withTransaction { connection in
            let locked = try connection.query(
                "SELECT 1 FROM accounts WHERE id = \(accountID) AND closed_at IS NULL FOR UPDATE"
            )
            guard !locked.isEmpty else { throw StoreError(.notFound, "The account does not exist.") }
            let domains = try connection.query(
                """
                SELECT \(unsafeSQL: DomainRepository.columns) FROM domains
                WHERE account_id = \(accountID) AND status IN (\(DomainStatus.pendingVerification), \(DomainStatus.verified))
                ORDER BY name FOR UPDATE
                """
            ).map(DomainRepository.decode)
            var offboarding: [DomainRecord] = []
            for domain in domains {
                if domain.status == .pendingVerification {
                    _ = try DomainRepository.deleteUnverified(on: connection, domain: domain, at: now)
                } else {
                    offboarding.append(try DomainRepository.offboard(on: connection, domain: domain, at: now).domain)
                }
            }
            try connection.execute("DELETE FROM api_tokens WHERE account_id = \(accountID)")
            // Nobody is left to alert: the webhooks go, and their pending deliveries with them.
            try connection.execute("DELETE FROM webhooks WHERE account_id = \(accountID)")
            try connection.execute(
                "UPDATE accounts SET closed_at = \(now), updated_at = \(now) WHERE id = \(accountID)"
            )
            return offboarding
        }
    }

    static func single(_ rows: PostgresRows) throws -> PostgresRow {
        guard let row = rows.first else { throw DatabaseError(.decodingFailed, "statement returned no row") }
        return row
    }
}

import Database
package import Foundation

/// SQL for `invitations`: codes an operator hands out for `MTASTS_SIGNUP=invite` (only their SHA-256 is
/// stored); a code is redeemed by ``AccountRepository/create(email:passwordHash:invitation:at:)``.
package struct InvitationRepository: Sendable {
    let pool: PostgresPool

    /// Stores a new code's digest, valid until `expiresAt`.
    package func create(codeSHA256: [UInt8], at now: Date, expiresAt: Date) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO invitations (code_sha256, created_at, expires_at)
                VALUES (\(PostgresBytes(codeSHA256)), \(now), \(expiresAt))
                """
            )
        }
    }
}

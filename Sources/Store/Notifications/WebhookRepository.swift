package import Crypto
import Database
package import Foundation

/// SQL for `webhooks`: a tenant's receivers of alerts, each with a signing secret sealed with the master key.
///
/// ```swift
/// let webhook = try store.webhooks.create(
///     accountID: account, url: "https://hooks.example.com/mtasts", description: nil,
///     secret: secret, keyring: keyring, limit: WebhookRepository.maximumPerAccount, at: now
/// )
/// ```
package struct WebhookRepository: Sendable {
    /// Most webhooks one account holds.
    package static let maximumPerAccount = 10

    let pool: PostgresPool

    static let columns = "id, account_id, url, description, created_at"

    static func decode(_ row: PostgresRow) throws -> WebhookRecord {
        let (id, accountID, url, description, createdAt) = try row.decode((UUID, UUID, String, String?, Date).self)
        return WebhookRecord(id: id, accountID: accountID, url: url, description: description, createdAt: createdAt)
    }

    /// The sealed secret of the row `id`, as stored.
    static func sealedSecret(
        id: UUID,
        keyID: String,
        nonce: PostgresBytes,
        ciphertext: PostgresBytes,
        binding: SecretBinding
    ) -> SealedSecret {
        SealedSecret(
            value: EncryptedValue(keyID: keyID, nonce: nonce.bytes, ciphertext: ciphertext.bytes),
            owner: .webhookSecret(id: id),
            binding: binding
        )
    }

    /// Adds a webhook, its secret sealed with the keyring's current key and bound to the new row
    /// (``SecretOwner/webhookSecret(id:)``).
    ///
    /// The account row is locked first, so two concurrent creations cannot both pass the count.
    /// - Parameters:
    ///   - url: validated by the caller (scheme, host, length).
    ///   - secret: the signing secret, shown to the tenant once by the caller; only its ciphertext is stored.
    ///   - limit: most webhooks the account may hold.
    /// - Throws: `StoreError` `.webhookLimitReached` (with `limit`), `.duplicateWebhook` or `.notFound` (no such
    ///   account); `CryptoError` when sealing fails.
    package func create(
        accountID: UUID,
        url: String,
        description: String?,
        secret: String,
        keyring: Keyring,
        limit: Int,
        at now: Date
    ) throws -> WebhookRecord {
        let id = UUID()
        let sealed = try SealedSecret.seal(Array(secret.utf8), for: .webhookSecret(id: id), with: keyring)
        let value = sealed.value
        do {
            return try pool.withTransaction { connection in
                let account = try connection.query(
                    "SELECT 1 FROM accounts WHERE id = \(accountID) AND closed_at IS NULL FOR UPDATE"
                )
                guard !account.isEmpty else { throw StoreError(.notFound, "The account does not exist.") }
                let held = try connection.query("SELECT url FROM webhooks WHERE account_id = \(accountID)")
                    .map { try $0.decode(String.self, at: 0) }
                guard !held.contains(url) else {
                    throw StoreError(.duplicateWebhook, "This account already has a webhook with this URL.")
                }
                guard held.count < limit else {
                    throw StoreError(
                        .webhookLimitReached,
                        "This account may hold at most \(limit) webhooks.",
                        limit: limit
                    )
                }
                let rows = try connection.query(
                    """
                    INSERT INTO webhooks (id, account_id, url, description, secret_ciphertext, secret_nonce,
                                          secret_key_id, secret_binding, created_at)
                    VALUES (\(id), \(accountID), \(url), \(description), \(PostgresBytes(value.ciphertext)),
                            \(PostgresBytes(value.nonce)), \(value.keyID), \(sealed.binding), \(now))
                    RETURNING \(unsafeSQL: Self.columns)
                    """
                )
                return try Self.decode(try AccountRepository.single(rows))
            }
        } catch let error as DatabaseError where error.code == .uniqueViolation {
            throw StoreError(.duplicateWebhook, "This account already has a webhook with this URL.")
        }
    }

    /// The account's webhooks, oldest first (at most ``maximumPerAccount``).
    package func list(accountID: UUID) throws -> [WebhookRecord] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(unsafeSQL: Self.columns) FROM webhooks WHERE account_id = \(accountID)
                ORDER BY created_at, id
                """
            ).map(Self.decode)
        }
    }

    /// The webhook `id` if it is the account's.
    package func find(id: UUID, accountID: UUID) throws -> WebhookRecord? {
        try pool.withConnection { connection in
            try connection.query(
                "SELECT \(unsafeSQL: Self.columns) FROM webhooks WHERE id = \(id) AND account_id = \(accountID)"
            ).first.map(Self.decode)
        }
    }

    /// Deletes the webhook `id` if it is the account's, with its deliveries: pending ones are never attempted
    /// again, and one being attempted right now is not recorded.
    /// - Returns: false when there is no such webhook for the account.
    package func delete(id: UUID, accountID: UUID) throws -> Bool {
        try pool.withConnection { connection in
            try connection.execute("DELETE FROM webhooks WHERE id = \(id) AND account_id = \(accountID)") == 1
        }
    }
}

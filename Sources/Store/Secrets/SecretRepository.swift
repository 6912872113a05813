import Crypto
import Database
package import Foundation

/// SQL over every stored secret at once (certificate keys, ACME account keys, webhook secrets): batched reads for
/// `mtasts admin doctor` and the worker's key audit, and the compare-and-swap write of `mtasts admin rotate-key`.
package struct SecretRepository: Sendable {
    let pool: PostgresPool

    /// Up to `limit` secrets of `kind` whose row id is above `after`, in row-id order: keyset pagination, so
    /// reading every secret never holds one long transaction.
    package func batch(of kind: SecretKind, after: UUID?, limit: Int) throws -> [StoredSecret] {
        try pool.withConnection { connection in
            switch kind {
            case .certificateKey, .retiredCertificateKey:
                let current = kind == .certificateKey
                return try connection.query(
                    """
                    SELECT id, host, key_id, key_nonce, key_ciphertext, key_binding FROM certificates
                    WHERE (replaced_by IS NULL) = \(current) AND (\(after) IS NULL OR id > \(after))
                    ORDER BY id LIMIT \(limit)
                    """
                ).map { row in
                    let (id, host, keyID, nonce, ciphertext, binding) = try row.decode(
                        (UUID, String, String, PostgresBytes, PostgresBytes, SecretBinding).self
                    )
                    return StoredSecret(
                        kind: kind,
                        rowID: id,
                        sealed: SealedSecret(
                            value: EncryptedValue(keyID: keyID, nonce: nonce.bytes, ciphertext: ciphertext.bytes),
                            owner: .certificateKey(id: id, host: host),
                            binding: binding
                        )
                    )
                }
            case .acmeAccountKey:
                return try connection.query(
                    """
                    SELECT id, directory_url, key_id, key_nonce, key_ciphertext, key_binding FROM acme_accounts
                    WHERE \(after) IS NULL OR id > \(after)
                    ORDER BY id LIMIT \(limit)
                    """
                ).map { row in
                    let (id, directoryURL, keyID, nonce, ciphertext, binding) = try row.decode(
                        (UUID, String, String, PostgresBytes, PostgresBytes, SecretBinding).self
                    )
                    return StoredSecret(
                        kind: kind,
                        rowID: id,
                        sealed: SealedSecret(
                            value: EncryptedValue(keyID: keyID, nonce: nonce.bytes, ciphertext: ciphertext.bytes),
                            owner: .acmeAccountKey(directoryURL: directoryURL),
                            binding: binding
                        )
                    )
                }
            case .webhookSecret:
                return try connection.query(
                    """
                    SELECT id, secret_key_id, secret_nonce, secret_ciphertext, secret_binding FROM webhooks
                    WHERE \(after) IS NULL OR id > \(after)
                    ORDER BY id LIMIT \(limit)
                    """
                ).map { row in
                    let (id, keyID, nonce, ciphertext, binding) = try row.decode(
                        (UUID, String, PostgresBytes, PostgresBytes, SecretBinding).self
                    )
                    return StoredSecret(
                        kind: kind,
                        rowID: id,
                        sealed: WebhookRepository.sealedSecret(
                            id: id,
                            keyID: keyID,
                            nonce: nonce,
                            ciphertext: ciphertext,
                            binding: binding
                        )
                    )
                }
            }
        }
    }

    /// Replaces the ciphertext of `secret` with `replacement`, in a short transaction of its own, unless the
    /// row changed since `secret` was read (compare-and-swap on the old ciphertext and nonce).
    ///
    /// A certificate key that is still current also gets a change-log row in the same transaction: every edge
    /// reloads the host, so its snapshot file holds the new ciphertext before the old master key is dropped.
    /// - Returns: false when the row changed or disappeared meanwhile (nothing is written).
    package func replace(_ secret: StoredSecret, with replacement: SealedSecret) throws -> Bool {
        let old = secret.sealed.value
        let new = replacement.value
        return try pool.withTransaction { connection in
            switch secret.kind {
            case .certificateKey, .retiredCertificateKey:
                let rows = try connection.query(
                    """
                    UPDATE certificates SET key_ciphertext = \(PostgresBytes(new.ciphertext)),
                        key_nonce = \(PostgresBytes(new.nonce)), key_id = \(new.keyID),
                        key_binding = \(replacement.binding)
                    WHERE id = \(secret.rowID) AND key_ciphertext = \(PostgresBytes(old.ciphertext))
                      AND key_nonce = \(PostgresBytes(old.nonce)) AND key_id = \(old.keyID)
                    RETURNING host, replaced_by IS NULL
                    """
                )
                guard let row = rows.first else { return false }
                let (host, isCurrent) = try row.decode((String, Bool).self)
                if isCurrent { try ChangeLogRepository.append(on: connection, host: host, kind: .certificate) }
                return true
            case .acmeAccountKey:
                return try connection.execute(
                    """
                    UPDATE acme_accounts SET key_ciphertext = \(PostgresBytes(new.ciphertext)),
                        key_nonce = \(PostgresBytes(new.nonce)), key_id = \(new.keyID),
                        key_binding = \(replacement.binding)
                    WHERE id = \(secret.rowID) AND key_ciphertext = \(PostgresBytes(old.ciphertext))
                      AND key_nonce = \(PostgresBytes(old.nonce)) AND key_id = \(old.keyID)
                    """
                ) == 1
            case .webhookSecret:
                return try connection.execute(
                    """
                    UPDATE webhooks SET secret_ciphertext = \(PostgresBytes(new.ciphertext)),
                        secret_nonce = \(PostgresBytes(new.nonce)), secret_key_id = \(new.keyID),
                        secret_binding = \(replacement.binding)
                    WHERE id = \(secret.rowID) AND secret_ciphertext = \(PostgresBytes(old.ciphertext))
                      AND secret_nonce = \(PostgresBytes(old.nonce)) AND secret_key_id = \(old.keyID)
                    """
                ) == 1
            }
        }
    }
}

// MARK: - Walking every secret

extension SecretRepository {
    /// Calls `body` with every secret of `kind`, read `batchSize` rows at a time; no connection or transaction
    /// is held while `body` runs.
    package func forEach(
        of kind: SecretKind,
        batchSize: Int = 500,
        _ body: (StoredSecret) throws -> Void
    ) throws {
        var after: UUID?
        while true {
            let batch = try batch(of: kind, after: after, limit: batchSize)
            for secret in batch { try body(secret) }
            guard batch.count == batchSize, let last = batch.last else { return }
            after = last.rowID
        }
    }
}

import Crypto
import Database

/// One row of `acme_accounts`: the platform's account at one ACME directory.
package struct ACMEAccountRecord: Sendable, Hashable {
    package var directoryURL: String
    /// The account key's PEM, sealed with the master key and bound to the directory
    /// (``SecretOwner/acmeAccountKey(directoryURL:)``).
    package var sealedKey: SealedSecret
    /// The account URL the CA returned (the JWS `kid`).
    package var accountURL: String

    package init(directoryURL: String, sealedKey: SealedSecret, accountURL: String) {
        self.directoryURL = directoryURL
        self.sealedKey = sealedKey
        self.accountURL = accountURL
    }
}

/// SQL for `acme_accounts`.
package struct ACMEAccountRepository: Sendable {
    let pool: PostgresPool

    /// The account stored for `directoryURL`.
    package func find(directoryURL: String) throws -> ACMEAccountRecord? {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT key_ciphertext, key_nonce, key_id, key_binding, account_url FROM acme_accounts
                WHERE directory_url = \(directoryURL)
                """
            ).first.map { row in
                let (ciphertext, nonce, keyID, binding, url) = try row.decode(
                    (PostgresBytes, PostgresBytes, String, SecretBinding, String).self
                )
                return ACMEAccountRecord(
                    directoryURL: directoryURL,
                    sealedKey: SealedSecret(
                        value: EncryptedValue(keyID: keyID, nonce: nonce.bytes, ciphertext: ciphertext.bytes),
                        owner: .acmeAccountKey(directoryURL: directoryURL),
                        binding: binding
                    ),
                    accountURL: url
                )
            }
        }
    }

    /// Stores an account unless one exists for its directory (two workers registering at once: the first
    /// row wins, and both use it).
    package func insertIfAbsent(_ account: ACMEAccountRecord) throws {
        let key = account.sealedKey.value
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO acme_accounts (directory_url, key_ciphertext, key_nonce, key_id, key_binding, account_url)
                VALUES (\(account.directoryURL), \(PostgresBytes(key.ciphertext)), \(PostgresBytes(key.nonce)),
                        \(key.keyID), \(account.sealedKey.binding), \(account.accountURL))
                ON CONFLICT (directory_url) DO NOTHING
                """
            )
        }
    }

    /// Replaces `stale` (an account whose key the master keys can no longer read) with `replacement`, unless
    /// another worker replaced it first (compare-and-swap on the stored ciphertext): the first replacement wins,
    /// like the first registration.
    /// - Returns: false when the stored row was no longer `stale`.
    package func replace(_ stale: ACMEAccountRecord, with replacement: ACMEAccountRecord) throws -> Bool {
        let old = stale.sealedKey.value
        let new = replacement.sealedKey.value
        return try pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE acme_accounts SET key_ciphertext = \(PostgresBytes(new.ciphertext)),
                    key_nonce = \(PostgresBytes(new.nonce)), key_id = \(new.keyID),
                    key_binding = \(replacement.sealedKey.binding), account_url = \(replacement.accountURL),
                    created_at = now()
                WHERE directory_url = \(stale.directoryURL) AND key_ciphertext = \(PostgresBytes(old.ciphertext))
                  AND key_nonce = \(PostgresBytes(old.nonce)) AND key_id = \(old.keyID)
                """
            ) == 1
        }
    }
}

package import Crypto
import Database

/// One row of `acme_accounts`: the platform's account at one ACME directory.
package struct ACMEAccountRecord: Sendable, Hashable {
    package var directoryURL: String
    /// The account key's PEM, encrypted with the master key.
    package var sealedKey: EncryptedValue
    /// The account URL the CA returned (the JWS `kid`).
    package var accountURL: String

    package init(directoryURL: String, sealedKey: EncryptedValue, accountURL: String) {
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
                SELECT key_ciphertext, key_nonce, key_id, account_url FROM acme_accounts
                WHERE directory_url = \(directoryURL)
                """
            ).first.map { row in
                let (ciphertext, nonce, keyID, url) = try row.decode(
                    (PostgresBytes, PostgresBytes, String, String).self
                )
                return ACMEAccountRecord(
                    directoryURL: directoryURL,
                    sealedKey: EncryptedValue(keyID: keyID, nonce: nonce.bytes, ciphertext: ciphertext.bytes),
                    accountURL: url
                )
            }
        }
    }

    /// Stores an account unless one exists for its directory (two workers registering at once: the first
    /// row wins, and both use it).
    package func insertIfAbsent(_ account: ACMEAccountRecord) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO acme_accounts (directory_url, key_ciphertext, key_nonce, key_id, account_url)
                VALUES (\(account.directoryURL), \(PostgresBytes(account.sealedKey.ciphertext)),
                        \(PostgresBytes(account.sealedKey.nonce)), \(account.sealedKey.keyID), \(account.accountURL))
                ON CONFLICT (directory_url) DO NOTHING
                """
            )
        }
    }
}

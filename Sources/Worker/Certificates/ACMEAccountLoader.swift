package import ACME
package import Crypto
package import Database
import Foundation
package import Logging

/// The ACME account for the configured directory: its key stored encrypted in `acme_accounts`.
///
/// The first worker to need it registers it; a worker that loses the race to insert uses the winner's row
/// (the loser's fresh registration is simply never used).
package enum ACMEAccountLoader {
    package static func load(
        pool: PostgresPool,
        keyring: Keyring,
        configuration: ACMEClientConfiguration,
        transport: any ACMETransport,
        logger: Logger
    ) throws -> ACMEClient {
        let directory = configuration.directoryURL
        if let (key, url) = try stored(pool: pool, keyring: keyring, directory: directory) {
            return ACMEClient(
                configuration: configuration,
                accountKey: key,
                accountURL: url,
                transport: transport,
                logger: logger
            )
        }
        let key = try P256PrivateKey.generate()
        let client = ACMEClient(configuration: configuration, accountKey: key, transport: transport, logger: logger)
        let account = try client.registerAccount()
        let sealed = try keyring.encrypt(Array(try key.pemRepresentation.utf8))
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO acme_accounts (directory_url, key_ciphertext, key_nonce, key_id, account_url)
                VALUES (\(directory), \(PostgresBytes(sealed.ciphertext)), \(PostgresBytes(sealed.nonce)), \(sealed.keyID),
                        \(account.url))
                ON CONFLICT (directory_url) DO NOTHING
                """
            )
        }
        logger.info("registered ACME account", ["directory": directory, "account": account.url])
        guard let (storedKey, url) = try stored(pool: pool, keyring: keyring, directory: directory) else {
            return client
        }
        return ACMEClient(
            configuration: configuration,
            accountKey: storedKey,
            accountURL: url,
            transport: transport,
            logger: logger
        )
    }

    private static func stored(
        pool: PostgresPool,
        keyring: Keyring,
        directory: String
    ) throws -> (P256PrivateKey, String)? {
        let row = try pool.withConnection { connection in
            try connection.query(
                "SELECT key_ciphertext, key_nonce, key_id, account_url FROM acme_accounts WHERE directory_url = \(directory)"
            ).first
        }
        guard let row else { return nil }
        let (ciphertext, nonce, keyID, url) = try row.decode((PostgresBytes, PostgresBytes, String, String).self)
        let pem = try keyring.decrypt(EncryptedValue(keyID: keyID, nonce: nonce.bytes, ciphertext: ciphertext.bytes))
        return (try P256PrivateKey(pem: String(decoding: pem, as: UTF8.self)), url)
    }
}

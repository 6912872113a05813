package import ACME
package import Crypto
import Foundation
package import Logging
package import Store

/// The ACME account for the configured directory: its key stored sealed with the master key in the store.
///
/// The first worker to need it registers it; a worker that loses the race to insert uses the winner's row
/// (the loser's fresh registration is simply never used). When the stored key cannot be decrypted (its master
/// key is lost, or the row was altered) no order could ever be signed with it: the worker registers a new
/// account and replaces the row, so certificate jobs recover instead of failing forever.
package enum ACMEAccountLoader {
    /// The client for the stored account, registering (or replacing) the account first when needed.
    /// - Throws: store errors, and `ACMEError` when a registration is needed and the CA refuses it.
    package static func load(
        store: DataStore,
        keyring: Keyring,
        configuration: ACMEClientConfiguration,
        transport: any ACMETransport,
        logger: Logger
    ) throws -> ACMEClient {
        let directory = configuration.directoryURL
        func client(key: P256PrivateKey, url: String) -> ACMEClient {
            ACMEClient(
                configuration: configuration,
                accountKey: key,
                accountURL: url,
                transport: transport,
                logger: logger
            )
        }
        let existing = try store.acmeAccounts.find(directoryURL: directory)
        if let existing {
            switch existing.sealedKey.condition(under: keyring) {
            case .current, .unbound, .previousKey:
                return client(key: try accountKey(of: existing, keyring: keyring), url: existing.accountURL)
            case let unreadable:
                logger.error(
                    "the stored ACME account key cannot be decrypted; registering a new account",
                    [
                        "directory": directory, "account": existing.accountURL,
                        "key_id": existing.sealedKey.value.keyID, "reason": unreadable.rawValue,
                    ]
                )
            }
        }
        let key = try P256PrivateKey.generate()
        let registering = ACMEClient(
            configuration: configuration,
            accountKey: key,
            transport: transport,
            logger: logger
        )
        let account = try registering.registerAccount()
        let record = ACMEAccountRecord(
            directoryURL: directory,
            sealedKey: try SealedSecret.seal(
                Array(try key.pemRepresentation.utf8),
                for: .acmeAccountKey(directoryURL: directory),
                with: keyring
            ),
            accountURL: account.url
        )
        if let existing {
            if try store.acmeAccounts.replace(existing, with: record) {
                logger.notice("replaced the ACME account", ["directory": directory, "account": account.url])
                return registering
            }
        } else {
            try store.acmeAccounts.insertIfAbsent(record)
            logger.info("registered ACME account", ["directory": directory, "account": account.url])
        }
        // Another worker stored its account first: use that one (this worker's registration stays unused).
        guard let stored = try store.acmeAccounts.find(directoryURL: directory),
            let storedKey = try? accountKey(of: stored, keyring: keyring)
        else {
            return registering
        }
        return client(key: storedKey, url: stored.accountURL)
    }

    /// The account's private key, decrypted.
    private static func accountKey(of account: ACMEAccountRecord, keyring: Keyring) throws -> P256PrivateKey {
        try P256PrivateKey(pem: String(decoding: try account.sealedKey.open(with: keyring), as: UTF8.self))
    }
}

package import ACME
package import Crypto
import Foundation
package import Logging
package import Store

/// The ACME account for the configured directory: its key stored encrypted in the store.
///
/// The first worker to need it registers it; a worker that loses the race to insert uses the winner's row
/// (the loser's fresh registration is simply never used).
package enum ACMEAccountLoader {
    package static func load(
        store: DataStore,
        keyring: Keyring,
        configuration: ACMEClientConfiguration,
        transport: any ACMETransport,
        logger: Logger
    ) throws -> ACMEClient {
        let directory = configuration.directoryURL
        if let (key, url) = try stored(store: store, keyring: keyring, directory: directory) {
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
        let sealed = try SealedSecret.seal(
            Array(try key.pemRepresentation.utf8),
            for: .acmeAccountKey(directoryURL: directory),
            with: keyring
        )
        try store.acmeAccounts.insertIfAbsent(
            ACMEAccountRecord(directoryURL: directory, sealedKey: sealed, accountURL: account.url)
        )
        logger.info("registered ACME account", ["directory": directory, "account": account.url])
        guard let (storedKey, url) = try stored(store: store, keyring: keyring, directory: directory) else {
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
        store: DataStore,
        keyring: Keyring,
        directory: String
    ) throws -> (P256PrivateKey, String)? {
        guard let account = try store.acmeAccounts.find(directoryURL: directory) else { return nil }
        let pem = try account.sealedKey.open(with: keyring)
        return (try P256PrivateKey(pem: String(decoding: pem, as: UTF8.self)), account.accountURL)
    }
}

package import Crypto
import Foundation
package import Logging
package import Store
import Synchronization
package import TLS

/// Serves the platform's own certificate (`MTASTS_API_HOSTNAME`, kept current by the worker) on the API listener.
///
/// The certificate is read from PostgreSQL by ``refresh()``, which `mtasts api` calls at start and then
/// periodically: a renewal (a new certificate id) builds a new context, which new handshakes use while open
/// connections keep theirs. Before the first issuance, or for another server name, there is no context and the
/// handshake ends with `unrecognized_name`.
///
/// ```swift
/// let resolver = PlatformCertificateResolver(host: "api.example.net", store: store, keyring: keyring, logger: logger)
/// resolver.refresh()
/// let tls = try TLSContext.makeServer(configuration: .server)
/// tls.setServerNameResolver(resolver)
/// ```
package final class PlatformCertificateResolver: ServerNameResolver {
    /// The host the certificate is for, lower-case.
    package let host: String
    private let store: DataStore
    private let keyring: Keyring
    private let configuration: TLSConfiguration
    private let logger: Logger
    private let current = Mutex<(id: UUID, notAfter: Date, context: TLSContext)?>(nil)

    package init(
        host: String,
        store: DataStore,
        keyring: Keyring,
        configuration: TLSConfiguration = .server,
        logger: Logger
    ) {
        self.host = HostName.normalized(host)
        self.store = store
        self.keyring = keyring
        self.configuration = configuration
        self.logger = logger
    }

    /// Whether a certificate is loaded.
    package var hasCertificate: Bool { current.withLock { $0 != nil } }

    package func context(forServerName serverName: String) -> TLSContext? {
        guard HostName.normalized(serverName) == host else { return nil }
        return current.withLock { $0.flatMap { $0.notAfter > Date() ? $0.context : nil } }
    }

    /// Loads the current certificate when it changed; keeps the one loaded when PostgreSQL cannot be reached or
    /// the new one cannot be used (and says why in the log).
    package func refresh() {
        do {
            guard let stored = try store.platformCertificates.current(host: host) else { return }
            if current.withLock({ $0?.id }) == stored.id { return }
            let key = try stored.sealedKey.open(with: keyring)
            let pair = try CertificateKeyPair(
                chainPEM: stored.chainPEM,
                privateKeyPEM: String(decoding: key, as: UTF8.self)
            )
            let context = try TLSContext.makeServer(certificate: pair, configuration: configuration)
            current.withLock { $0 = (stored.id, stored.notAfter, context) }
            logger.info(
                "platform certificate loaded",
                ["host": host, "not_after": stored.notAfter.formatted(.iso8601)]
            )
        } catch {
            logger.error("cannot load the platform certificate", ["host": host, "error": "\(error)"])
        }
    }
}

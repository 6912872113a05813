package import Crypto
import Foundation
import SnapshotSync
import Store
import Synchronization
package import TLS

/// Picks the certificate for a TLS client's SNI from the current snapshot.
///
/// Contexts are built on first use (decrypting the private key with the keyring) and cached per certificate
/// id, so start-up does not pay for every tenant at once and a renewed certificate (new id) replaces the old
/// context without touching open connections. The cache is bounded (`capacity`), so memory stays flat however
/// many hosts senders ask for; an evicted host costs one rebuild (about a millisecond) on its next handshake. A host without a certificate gets `nil`: the handshake ends
/// with `unrecognized_name`, never another tenant's certificate.
package final class SnapshotCertificateResolver: ServerNameResolver {
    private let holder: EdgeSnapshotHolder
    private let keyring: Keyring
    private let cache = Mutex<[String: (UUID, TLSContext)]>([:])
    private let configuration: TLSConfiguration
    /// Most contexts kept (about 20–25 KiB each); beyond it an arbitrary entry is dropped and rebuilt on demand.
    private let capacity: Int

    package init(
        holder: EdgeSnapshotHolder,
        keyring: Keyring,
        configuration: TLSConfiguration = .server,
        capacity: Int = 10_000
    ) {
        self.holder = holder
        self.keyring = keyring
        self.configuration = configuration
        self.capacity = max(1, capacity)
    }

    package func context(forServerName serverName: String) -> TLSContext? {
        // Normalised once: it is both the snapshot key and the cache key.
        let host = HostName.normalized(serverName)
        guard let certificate = holder.current.hosts[host]?.certificate, certificate.notAfter > Date() else {
            return nil
        }
        if let (id, context) = cache.withLock({ $0[host] }), id == certificate.id { return context }
        guard let context = makeContext(certificate, host: host) else { return nil }
        cache.withLock { cache in
            if cache[host] == nil, cache.count >= capacity { cache.remove(at: cache.startIndex) }
            cache[host] = (certificate.id, context)
        }
        return context
    }

    /// Number of contexts built so far (metrics).
    package var cachedContexts: Int { cache.withLock { $0.count } }

    /// Decrypts the key (bound to `host`'s row) and builds the context; nil when the key cannot be read (the
    /// snapshot's ``EdgeKeyAudit`` has logged why) or does not fit the chain.
    private func makeContext(_ certificate: EdgeSnapshot.Certificate, host: String) -> TLSContext? {
        guard let keyBytes = try? certificate.sealedKey(host: host)?.open(with: keyring),
            let pair = try? CertificateKeyPair(
                chainDER: certificate.chainDER,
                privateKeyPEM: String(decoding: keyBytes, as: UTF8.self)
            )
        else { return nil }
        return try? TLSContext.makeServer(certificate: pair, configuration: configuration)
    }
}

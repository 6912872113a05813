import Crypto
import Foundation
import PolicyEdge
import SnapshotSync
import Store
import Testing

@Suite struct SnapshotCertificateResolverTests {
    /// A snapshot with a certificate for each host, its key sealed by `keyring` and bound to its row unless
    /// `binding` is `.unbound` (as rows written before migration 0006 are).
    static func snapshot(
        hosts: [String],
        keyring: Keyring,
        binding: SecretBinding = .row
    ) throws -> EdgeSnapshot {
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(commonName: "Resolver Test CA", now: now)
        var entries: [String: EdgeSnapshot.HostEntry] = [:]
        for host in hosts {
            let leaf = try CertificateBuilder.makeLeaf(dnsNames: [host], issuer: authority, now: now)
            let id = UUID()
            let pem = Array(try leaf.key.pemRepresentation.utf8)
            let sealed =
                binding == .row
                ? try SealedSecret.seal(pem, for: .certificateKey(id: id, host: host), with: keyring).value
                : try keyring.encrypt(pem)
            entries[host] = EdgeSnapshot.HostEntry(
                certificate: EdgeSnapshot.Certificate(
                    id: id,
                    chainPEM: leaf.certificate.pemRepresentation,
                    sealedKey: sealed,
                    keyBinding: binding,
                    notAfter: Date().addingTimeInterval(86_400)
                )
            )
        }
        return EdgeSnapshot(hosts: entries)
    }

    @Test func contextsAreCachedUpToTheCapacityAndRebuiltAfterEviction() throws {
        let keyring = try Keyring(current: try MasterKey.generate())
        let hosts = ["mta-sts.a.test", "mta-sts.b.test", "mta-sts.c.test"]
        let holder = EdgeSnapshotHolder(try Self.snapshot(hosts: hosts, keyring: keyring))
        let resolver = SnapshotCertificateResolver(holder: holder, keyring: keyring, capacity: 2)
        for host in hosts + hosts {
            #expect(resolver.context(forServerName: host) != nil)
            #expect(resolver.cachedContexts <= 2)
        }
        #expect(resolver.context(forServerName: "MTA-STS.A.TEST") != nil)
        #expect(resolver.context(forServerName: "mta-sts.unknown.test") == nil)
    }

    @Test func aKeySealedWithAnotherMasterKeyIsNeverServed() throws {
        let sealing = try Keyring(current: try MasterKey.generate())
        let other = try Keyring(current: try MasterKey.generate())
        let holder = EdgeSnapshotHolder(try Self.snapshot(hosts: ["mta-sts.a.test"], keyring: sealing))
        #expect(
            SnapshotCertificateResolver(holder: holder, keyring: other).context(forServerName: "mta-sts.a.test") == nil
        )
    }

    @Test func aKeyMovedToAnotherHostsRowDoesNotDecrypt() throws {
        let keyring = try Keyring(current: try MasterKey.generate())
        let original = try Self.snapshot(hosts: ["mta-sts.a.test", "mta-sts.b.test"], keyring: keyring)
        let a = try #require(original.hosts["mta-sts.a.test"]?.certificate)
        let b = try #require(original.hosts["mta-sts.b.test"]?.certificate)
        // b's row now holds a's chain and a's sealed key: the bytes are intact, but they were bound to a's row.
        let moved = EdgeSnapshot.Certificate(
            id: b.id,
            leaf: a.leaf,
            intermediates: a.intermediates,
            sealedKey: a.sealedValue,
            keyBinding: .row,
            notAfter: a.notAfter
        )
        let holder = EdgeSnapshotHolder(
            EdgeSnapshot(hosts: ["mta-sts.b.test": EdgeSnapshot.HostEntry(certificate: moved)])
        )
        let resolver = SnapshotCertificateResolver(holder: holder, keyring: keyring)
        #expect(resolver.context(forServerName: "mta-sts.b.test") == nil)
    }

    @Test func keysSealedBeforeRowBindingStillDecrypt() throws {
        let keyring = try Keyring(current: try MasterKey.generate())
        let holder = EdgeSnapshotHolder(
            try Self.snapshot(hosts: ["mta-sts.legacy.test"], keyring: keyring, binding: .unbound)
        )
        let resolver = SnapshotCertificateResolver(holder: holder, keyring: keyring)
        #expect(resolver.context(forServerName: "mta-sts.legacy.test") != nil)
    }
}

import Crypto
import Foundation
import PolicyEdge
import SnapshotSync
import Testing

@Suite struct SnapshotCertificateResolverTests {
    private func snapshot(hosts: [String], keyring: Keyring) throws -> EdgeSnapshot {
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(commonName: "Resolver Test CA", now: now)
        var entries: [String: EdgeSnapshot.HostEntry] = [:]
        for host in hosts {
            let leaf = try CertificateBuilder.makeLeaf(dnsNames: [host], issuer: authority, now: now)
            let sealed = try keyring.encrypt(Array(try leaf.key.pemRepresentation.utf8))
            entries[host] = EdgeSnapshot.HostEntry(
                certificate: EdgeSnapshot.Certificate(
                    id: UUID(),
                    chainPEM: leaf.certificate.pemRepresentation,
                    encryptedKey: sealed.encoded,
                    notAfter: Date().addingTimeInterval(86_400)
                )
            )
        }
        return EdgeSnapshot(hosts: entries)
    }

    @Test func contextsAreCachedUpToTheCapacityAndRebuiltAfterEviction() throws {
        let keyring = try Keyring(current: try MasterKey.generate())
        let hosts = ["mta-sts.a.test", "mta-sts.b.test", "mta-sts.c.test"]
        let holder = EdgeSnapshotHolder(try snapshot(hosts: hosts, keyring: keyring))
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
        let holder = EdgeSnapshotHolder(try snapshot(hosts: ["mta-sts.a.test"], keyring: sealing))
        #expect(
            SnapshotCertificateResolver(holder: holder, keyring: other).context(forServerName: "mta-sts.a.test") == nil
        )
    }
}

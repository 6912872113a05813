import Crypto
import Foundation
import PolicyEdge
import SnapshotSync
import Store
import TLS
import TestSupport
import Testing

/// The snapshot keeps a host's certificate as its leaf's DER plus intermediates shared with every certificate under
/// the same issuer; the whole chain still reaches clients.
@Suite struct CompactCertificateTests {
    /// A root, an intermediate it signed, and a leaf for each host signed by the intermediate (as ACME CAs issue).
    struct Hierarchy {
        let root: CertificateBuilder.Issued
        let intermediate: CertificateBuilder.Issued
        let leaves: [String: CertificateBuilder.Issued]

        init(hosts: [String]) throws {
            let now = Int64(Date().timeIntervalSince1970)
            root = try CertificateBuilder.makeAuthority(commonName: "Compact Test Root", now: now)
            let key = try P256PrivateKey.generate()
            let builder = CertificateBuilder(
                commonName: "Compact Test Intermediate",
                notBefore: now - 3_600,
                notAfter: now + 86_400,
                isCertificateAuthority: true
            )
            intermediate = CertificateBuilder.Issued(
                certificate: try builder.issued(for: key.publicKey, by: root),
                key: key
            )
            var leaves: [String: CertificateBuilder.Issued] = [:]
            for host in hosts {
                leaves[host] = try CertificateBuilder.makeLeaf(dnsNames: [host], issuer: intermediate, now: now)
            }
            self.leaves = leaves
        }

        /// The snapshot entry for `host`: its chain as the platform stores it (PEM, leaf first), its key sealed.
        func certificate(_ host: String, keyring: Keyring) throws -> EdgeSnapshot.Certificate {
            let leaf = try #require(leaves[host])
            let id = UUID()
            let key = Array(try leaf.key.pemRepresentation.utf8)
            return EdgeSnapshot.Certificate(
                id: id,
                chainPEM: leaf.certificate.pemRepresentation + intermediate.certificate.pemRepresentation,
                sealedKey: try SealedSecret.seal(key, for: .certificateKey(id: id, host: host), with: keyring).value,
                keyBinding: .row,
                notAfter: Date().addingTimeInterval(86_400)
            )
        }
    }

    @Test func hostsUnderOneIntermediateShareItThroughTheFileToo() throws {
        let hosts = ["mta-sts.a.test", "mta-sts.b.test"]
        let hierarchy = try Hierarchy(hosts: hosts)
        let keyring = try Keyring(current: try MasterKey.generate())
        let a = try hierarchy.certificate("mta-sts.a.test", keyring: keyring)
        let b = try hierarchy.certificate("mta-sts.b.test", keyring: keyring)
        #expect(a.intermediates === b.intermediates, "one copy of the intermediate")
        #expect(a.intermediates.certificates == [hierarchy.intermediate.certificate.derRepresentation])
        #expect(
            a.chainDER == [try #require(hierarchy.leaves["mta-sts.a.test"]).certificate.derRepresentation]
                + [hierarchy.intermediate.certificate.derRepresentation]
        )

        let saved = EdgeSnapshot(
            hosts: [
                "mta-sts.a.test": EdgeSnapshot.HostEntry(certificate: a),
                "mta-sts.b.test": EdgeSnapshot.HostEntry(certificate: b),
            ],
            sequence: 3
        )
        let directory = try TemporaryDirectory(prefix: "compact-certificates")
        let file = SnapshotFile<EdgeSnapshot>(path: directory.path("edge-snapshot"))
        try file.write(saved)
        let read = try #require(try file.read())
        #expect(read == saved)
        let readA = try #require(read.hosts["mta-sts.a.test"]?.certificate)
        let readB = try #require(read.hosts["mta-sts.b.test"]?.certificate)
        #expect(readA.intermediates === readB.intermediates, "still one copy after reading the file")
    }

    @Test func theServedChainIncludesTheIntermediate() throws {
        let host = "mta-sts.a.test"
        let hierarchy = try Hierarchy(hosts: [host])
        let keyring = try Keyring(current: try MasterKey.generate())
        let holder = EdgeSnapshotHolder(
            EdgeSnapshot(hosts: [
                host: EdgeSnapshot.HostEntry(certificate: try hierarchy.certificate(host, keyring: keyring))
            ])
        )
        let resolver = SnapshotCertificateResolver(holder: holder, keyring: keyring)
        let serverContext = try TLSContext.makeServer()
        serverContext.setServerNameResolver(resolver)

        // The client trusts only the root: the handshake verifies only if the edge sends the intermediate.
        let directory = try TemporaryDirectory(prefix: "compact-certificates")
        let rootFile = directory.path("root.pem")
        try hierarchy.root.certificate.pemRepresentation.write(toFile: rootFile, atomically: true, encoding: .utf8)
        let clientContext = try TLSContext.makeClient(configuration: .client(trustRoots: .file(rootFile)))
        let client = try TLSConnection(memoryWithContext: clientContext, serverName: host)
        let server = try TLSConnection(memoryWithContext: serverContext)
        var clientDone = false
        for _ in 0..<20 where !clientDone {
            if case .complete = client.handshake() { clientDone = true }
            _ = server.writeInbound(client.readOutbound())
            _ = server.handshake()
            _ = client.writeInbound(server.readOutbound())
        }
        #expect(clientDone)
        #expect(client.verificationResult == 0)
        #expect(client.peerCertificate?.subject.contains(host) == true)
    }

    @Test func aChainThatIsNotPEMGetsNoContext() throws {
        let keyring = try Keyring(current: try MasterKey.generate())
        let damaged = EdgeSnapshot.Certificate(
            id: UUID(),
            chainPEM: "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
            sealedKey: nil,
            keyBinding: .row,
            notAfter: Date().addingTimeInterval(86_400)
        )
        #expect(damaged.leaf.isEmpty)
        #expect(damaged.intermediates === CertificateChainTail.empty)
        let holder = EdgeSnapshotHolder(EdgeSnapshot(hosts: ["mta-sts.a.test": .init(certificate: damaged)]))
        #expect(
            SnapshotCertificateResolver(holder: holder, keyring: keyring).context(forServerName: "mta-sts.a.test")
                == nil
        )
    }
}

import Crypto
import Foundation
import PolicyEdge
import SnapshotSync
import Store
import TestSupport
import Testing

/// The edge's snapshot through its file: every part of an entry comes back, keys stay sealed in the file and
/// still open afterwards, and a damaged or JSON file is refused.
@Suite struct EdgeSnapshotFileTests {
    private static func snapshot(keyring: Keyring) throws -> EdgeSnapshot {
        let bound = try SnapshotCertificateResolverTests.snapshot(hosts: ["mta-sts.a.test"], keyring: keyring)
        let unbound = try SnapshotCertificateResolverTests.snapshot(
            hosts: ["mta-sts.b.test"],
            keyring: keyring,
            binding: .unbound
        )
        var hosts = bound.hosts.dictionary.merging(unbound.hosts.dictionary) { first, _ in first }
        hosts["mta-sts.a.test"]?.policy = EdgeSnapshot.Policy(
            text: "version: STSv1\nmode: enforce\n",
            policyID: "20261130"
        )
        hosts["mta-sts.a.test"]?.challenges = ["token-1": "token-1.thumbprint", "token-2": "token-2.thumbprint"]
        hosts["mta-sts.c.test"] = EdgeSnapshot.HostEntry(
            policy: EdgeSnapshot.Policy(text: "version: STSv1\n", policyID: "1")
        )
        hosts["mta-sts.d.test"] = EdgeSnapshot.HostEntry(challenges: ["only": "a challenge"])
        return EdgeSnapshot(hosts: hosts, sequence: 42, builtAt: Date(timeIntervalSince1970: 1_790_000_000.123_456))
    }

    @Test func everyPartRoundTripsAndKeysStaySealedInTheFile() throws {
        let keyring = try Keyring(current: try MasterKey.generate())
        let saved = try Self.snapshot(keyring: keyring)
        let directory = try TemporaryDirectory(prefix: "edge-snapshot")
        let file = SnapshotFile<EdgeSnapshot>(path: directory.path("edge-snapshot"))
        try file.write(saved)
        let read = try #require(try file.read())
        #expect(read == saved)
        #expect(read.entry(for: "mta-sts.a.test")?.policy?.body.bytes == Array("version: STSv1\nmode: enforce\n".utf8))

        // The key is in the file as stored (sealed: its nonce and ciphertext); no plaintext PEM key is.
        let bytes = try #require(FileManager.default.contents(atPath: file.path))
        let sealed = try #require(saved.hosts["mta-sts.a.test"]?.certificate?.sealedValue)
        #expect(bytes.range(of: Data(sealed.nonce + sealed.ciphertext)) != nil)
        #expect(read.hosts["mta-sts.a.test"]?.certificate?.sealedValue == sealed)
        #expect(bytes.range(of: Data("PRIVATE KEY".utf8)) == nil)
        // Both bindings still open with the master key after the round trip.
        let resolver = SnapshotCertificateResolver(holder: EdgeSnapshotHolder(read), keyring: keyring)
        #expect(resolver.context(forServerName: "mta-sts.a.test") != nil)
        #expect(resolver.context(forServerName: "mta-sts.b.test") != nil)
    }

    @Test func aTruncatedCorruptedOrJSONFileIsRefused() throws {
        let keyring = try Keyring(current: try MasterKey.generate())
        let directory = try TemporaryDirectory(prefix: "edge-snapshot")
        let file = SnapshotFile<EdgeSnapshot>(path: directory.path("edge-snapshot"))
        try file.write(try Self.snapshot(keyring: keyring))
        let bytes = try #require(FileManager.default.contents(atPath: file.path))
        let url = URL(fileURLWithPath: file.path)

        try bytes.prefix(bytes.count / 2).write(to: url)
        #expect(throws: SnapshotFileError.truncated) { try file.read() }
        var corrupted = bytes
        corrupted[bytes.count / 2] ^= 0x04
        try corrupted.write(to: url)
        #expect(throws: SnapshotFileError.self) { try file.read() }
        let json = #"{"hosts":{"mta-sts.a.test":{"challenges":{}}},"sequence":1,"builtAt":1}"#
        try Data(json.utf8).write(to: url)
        #expect(throws: SnapshotFileError.notASnapshot) { try file.read() }
    }
}

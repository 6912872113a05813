import Crypto
import Foundation
import Logging
import PolicyEdge
import Store
import Testing

@Suite struct EdgeKeyAuditTests {
    @Test func unreadableKeysAreCountedAndLoggedOncePerCertificate() throws {
        let lost = try Keyring(current: try MasterKey.generate())
        let held = try Keyring(current: try MasterKey.generate())
        let lines = LogLines()
        let audit = EdgeKeyAudit(keyring: held, logger: Logger(label: "edge", sink: lines.sink))
        var snapshot = try SnapshotCertificateResolverTests.snapshot(
            hosts: ["mta-sts.lost.test", "mta-sts.other.test"],
            keyring: lost
        )
        let readable = try SnapshotCertificateResolverTests.snapshot(hosts: ["mta-sts.fine.test"], keyring: held)
        snapshot = snapshot.updating(
            hosts: ["mta-sts.fine.test"],
            parts: .certificate,
            with: readable.hosts.dictionary,
            sequence: 1,
            builtAt: Date()
        )
        audit.inspect(snapshot)
        #expect(audit.unreadableCounts == [.unknownKey: 2, .authenticationFailed: 0])
        #expect(lines.all.count == 2)
        #expect(lines.all.allSatisfy { $0.contains("level=error") && $0.contains("key_id=\(lost.current.keyID)") })
        #expect(lines.all.contains { $0.contains("host=mta-sts.lost.test") })

        // The follower swaps in a new snapshot for every applied change: known certificates are not re-logged.
        audit.inspect(snapshot.updating(hosts: [], parts: .all, with: [:], sequence: 2, builtAt: Date()))
        #expect(lines.all.count == 2)

        // A host whose row now holds another key (a tampered or copied ciphertext) is reported as such.
        let other = try #require(snapshot.hosts["mta-sts.other.test"]?.certificate)
        let fine = try #require(snapshot.hosts["mta-sts.fine.test"]?.certificate)
        let tampered = EdgeSnapshot.Certificate(
            id: other.id,
            leaf: other.leaf,
            intermediates: other.intermediates,
            sealedKey: fine.sealedValue,
            keyBinding: .row,
            notAfter: other.notAfter
        )
        let next = snapshot.updating(
            hosts: ["mta-sts.other.test", "mta-sts.lost.test"],
            parts: .certificate,
            with: ["mta-sts.other.test": EdgeSnapshot.HostEntry(certificate: tampered)],
            sequence: 3,
            builtAt: Date()
        )
        audit.inspect(next)
        #expect(audit.unreadableCounts == [.unknownKey: 0, .authenticationFailed: 1])
        #expect(lines.all.count == 3)
        #expect(lines.all.last?.contains("reason=authentication_failed") == true)
    }
}

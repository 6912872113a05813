import Crypto
import Foundation
import Store
import TestSupport
import Testing

/// Every stored secret read by kind (`mtasts admin doctor`) and re-sealed by a key rotation (`rotate-key`).
@Suite struct SecretRotationTests {
    @Test func rotationReSealsEverySecretWithTheCurrentKeyOnce() throws {
        let old = try MasterKey.generate()
        let new = try MasterKey.generate()
        let setup = try SecretSetup(keyring: try SecretSetup.keyring(old))
        let renewed = try setup.fixtures.addDomain("renewed.test")
        try setup.fixtures.addCertificate(domain: renewed, host: "mta-sts.renewed.test")
        try setup.fixtures.addDomain("plain.test")
        try setup.fixtures.addACMEAccount(directoryURL: SecretSetup.directory)
        let before = try setup.store.secrets.batch(of: .certificateKey, after: nil, limit: 10)
        #expect(before.count == 2)

        let onlyNew = try SecretSetup.keyring(new)
        let lost = try SecretInventory.take(from: setup.store.secrets, keyring: onlyNew, batchSize: 1)
        #expect(!lost.isHealthy)
        #expect(lost.count(.certificateKey, .unknownKey) == 2)
        #expect(lost.count(.retiredCertificateKey, .unknownKey) == 1)
        #expect(lost.count(.acmeAccountKey, .unknownKey) == 1)
        // Retired keys are counted, not listed: nothing reads them again.
        #expect(
            Set(lost.findings.map(\.owner.label)) == [
                "mta-sts.renewed.test", "mta-sts.plain.test", SecretSetup.directory,
            ]
        )

        let rotating = try SecretSetup.keyring(new, previous: [old])
        let pending = try SecretInventory.take(from: setup.store.secrets, keyring: rotating)
        #expect(pending.findings.map(\.condition) == [.previousKey, .previousKey, .previousKey])
        let sequence = try setup.store.changes.changes(after: 0).last?.seq ?? 0

        let report = try SecretRotation.run(repository: setup.store.secrets, keyring: rotating, batchSize: 1)
        #expect(report.unreadable.isEmpty)
        #expect(report.counts[.certificateKey]?.resealed == 2)
        #expect(report.counts[.retiredCertificateKey]?.resealed == 1)
        #expect(report.counts[.acmeAccountKey]?.resealed == 1)
        // Each served key changed: the edges are told, so their snapshots (and snapshot files) follow.
        let changes = try setup.store.changes.changes(after: sequence)
        #expect(Set(changes.map(\.host)) == ["mta-sts.renewed.test", "mta-sts.plain.test"])
        #expect(changes.allSatisfy { $0.kind == .certificate })

        let after = try SecretInventory.take(from: setup.store.secrets, keyring: onlyNew)
        #expect(after.isHealthy)
        #expect(after.count(.certificateKey, .current) == 2)
        #expect(after.count(.retiredCertificateKey, .current) == 1)
        #expect(after.count(.acmeAccountKey, .current) == 1)

        let again = try SecretRotation.run(repository: setup.store.secrets, keyring: rotating)
        #expect(again.counts.count == SecretKind.allCases.count)
        #expect(again.counts.values.allSatisfy { $0.resealed == 0 })
        #expect(again.counts[.certificateKey]?.alreadyCurrent == 2)

        // A secret read before someone else rewrote it is left alone (compare-and-swap on the ciphertext).
        let stale = try #require(before.first)
        #expect(try !setup.store.secrets.replace(stale, with: try stale.sealed.resealed(with: rotating)))
    }

    @Test func rotationReportsSecretsNoKeyCanRead() throws {
        let lost = try MasterKey.generate()
        let current = try MasterKey.generate()
        let setup = try SecretSetup(keyring: try SecretSetup.keyring(lost))
        try setup.fixtures.addDomain("gone.test")
        let keyring = try SecretSetup.keyring(current)
        let report = try SecretRotation.run(repository: setup.store.secrets, keyring: keyring)
        #expect(report.counts[.certificateKey]?.unreadable == 1)
        let finding = try #require(report.unreadable.first)
        #expect(finding.owner.label == "mta-sts.gone.test" && finding.keyID == lost.keyID)
        #expect(finding.condition == .unknownKey)
    }
}

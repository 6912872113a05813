import Crypto
import Database
import Foundation
import Store
import TestSupport
import Testing

/// Stored secrets bound to their rows (migration 0006): a ciphertext only decrypts in the row it was sealed for.
@Suite struct SecretBindingTests {
    @Test func aCiphertextCopiedIntoAnotherRowDoesNotDecrypt() throws {
        let keyring = try SecretSetup.keyring(try MasterKey.generate())
        let setup = try SecretSetup(keyring: keyring)
        try setup.fixtures.addDomain("a.test")
        try setup.fixtures.addDomain("b.test")
        try setup.fixtures.addACMEAccount(directoryURL: SecretSetup.directory)
        let a = try setup.certificateKey("mta-sts.a.test")
        #expect(a.binding == .row)
        #expect(a.condition(under: keyring) == .current)
        let account = try #require(try setup.store.acmeAccounts.find(directoryURL: SecretSetup.directory))
        #expect(account.sealedKey.binding == .row)
        #expect(String(decoding: try account.sealedKey.open(with: keyring), as: UTF8.self).hasPrefix("-----BEGIN"))

        // Someone with database access moves a's key into b's row (or the account key into a certificate row).
        try setup.execute(
            """
            UPDATE certificates b SET key_ciphertext = a.key_ciphertext, key_nonce = a.key_nonce, key_id = a.key_id
            FROM certificates a WHERE a.host = 'mta-sts.a.test' AND b.host = 'mta-sts.b.test'
            """
        )
        let moved = try setup.certificateKey("mta-sts.b.test")
        #expect(moved.value.ciphertext == a.value.ciphertext)
        let error = #expect(throws: CryptoError.self) { try moved.open(with: keyring) }
        #expect(error?.code == .authenticationFailed)
        #expect(moved.condition(under: keyring) == .authenticationFailed)
        try setup.execute(
            """
            UPDATE certificates c SET key_ciphertext = x.key_ciphertext, key_nonce = x.key_nonce, key_id = x.key_id
            FROM acme_accounts x WHERE c.host = 'mta-sts.a.test'
            """
        )
        #expect(try setup.certificateKey("mta-sts.a.test").condition(under: keyring) == .authenticationFailed)
    }

    @Test func rowsSealedBeforeBindingStillDecrypt() throws {
        let keyring = try SecretSetup.keyring(try MasterKey.generate())
        let setup = try SecretSetup(keyring: keyring)
        try setup.fixtures.addDomain("legacy.test")
        let pem = try setup.certificateKey("mta-sts.legacy.test").open(with: keyring)
        // As the previous release wrote it: no additional data, and no key_binding (the column's default).
        let legacy = try keyring.encrypt(pem)
        try setup.execute(
            """
            UPDATE certificates SET key_ciphertext = \(PostgresBytes(legacy.ciphertext)),
                key_nonce = \(PostgresBytes(legacy.nonce)), key_id = \(legacy.keyID), key_binding = DEFAULT
            """
        )
        let stored = try setup.certificateKey("mta-sts.legacy.test")
        #expect(stored.binding == .unbound)
        #expect(try stored.open(with: keyring) == pem)
        #expect(stored.condition(under: keyring) == .unbound)
    }

    @Test func anUnreadableKeyMakesItsDomainDueOnce() throws {
        let setup = try SecretSetup(keyring: try SecretSetup.keyring(try MasterKey.generate()))
        try setup.fixtures.addDomain("due.test")
        let certificate = try #require(try setup.store.secrets.batch(of: .certificateKey, after: nil, limit: 1).first)
        let now = Date()
        #expect(try setup.store.certificates.enqueueDueWork(at: now) == 0)
        #expect(try setup.store.certificates.scheduleReissue(certificateID: certificate.rowID, at: now))
        #expect(try !setup.store.certificates.scheduleReissue(certificateID: certificate.rowID, at: now))
        #expect(try setup.store.certificates.enqueueDueWork(at: now) == 1)
    }
}

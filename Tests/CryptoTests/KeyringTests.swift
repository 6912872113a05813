import Testing

@testable import Crypto

@Suite struct KeyringTests {
    @Test func rotationKeepsOldValuesReadable() throws {
        let old = try MasterKey.generate()
        let oldRing = try Keyring(current: old)
        let storedBefore = try oldRing.encrypt(Array("before".utf8))

        let new = try MasterKey.generate()
        let ring = try Keyring(current: new, previous: [old])
        let storedAfter = try ring.encrypt(Array("after".utf8))

        #expect(storedBefore.keyID == old.keyID)
        #expect(storedAfter.keyID == new.keyID)
        #expect(try ring.decrypt(storedBefore) == Array("before".utf8))
        #expect(try ring.decrypt(storedAfter) == Array("after".utf8))
        #expect(ring.needsReencryption(storedBefore))
        #expect(!ring.needsReencryption(storedAfter))
        #expect(ring.keyIDs == [old.keyID, new.keyID].sorted())
    }

    @Test func reencryptionMovesValueToCurrentKey() throws {
        let old = try MasterKey.generate()
        let new = try MasterKey.generate()
        let ring = try Keyring(current: new, previous: [old])
        let stored = try old.encrypt([42], additionalData: [7])
        let migrated = try ring.encrypt(ring.decrypt(stored, additionalData: [7]), additionalData: [7])
        #expect(migrated.keyID == new.keyID)
        let newOnly = try Keyring(current: new)
        #expect(try newOnly.decrypt(migrated, additionalData: [7]) == [42])
        #expect(throws: CryptoError(.unknownKeyID, "")) { try newOnly.decrypt(stored, additionalData: [7]) }
    }

    @Test func duplicateKeysAreMergedAndLookupWorks() throws {
        let key = try MasterKey.generate()
        let ring = try Keyring(current: key, previous: [key])
        #expect(ring.keyIDs == [key.keyID])
        #expect(ring.key(withID: key.keyID)?.keyID == key.keyID)
        #expect(ring.key(withID: "00000000") == nil)
    }
}

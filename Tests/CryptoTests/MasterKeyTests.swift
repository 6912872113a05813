import Foundation
import Testing

@testable import Crypto

@Suite struct MasterKeyTests {
    @Test func keyIDIsFirstEightHexCharactersOfSHA256() throws {
        let bytes = [UInt8](repeating: 0, count: 32)
        let key = try MasterKey(bytes: bytes)
        // SHA-256 of 32 zero bytes is 66687aadf862bd77…
        #expect(key.keyID == "66687aad")
        #expect(key.keyID == String(Hex.encode(Digest.sha256(bytes)).prefix(8)))
    }

    @Test func descriptionDoesNotRevealKey() throws {
        let key = try MasterKey(bytes: [UInt8](repeating: 0xab, count: 32))
        #expect("\(key)" == "MasterKey(keyID: \(key.keyID))")
        #expect(String(reflecting: key) == "MasterKey(keyID: \(key.keyID))")
        #expect(!"\(key)".contains("abab"))
    }

    @Test func rejectsWrongLength() {
        #expect(throws: CryptoError(.invalidKey, "")) { try MasterKey(bytes: [UInt8](repeating: 0, count: 31)) }
    }

    @Test func encryptDecryptRoundTrip() throws {
        let key = try MasterKey.generate()
        let value = try key.encrypt(Array("dns-api-token".utf8), additionalData: Array("domain:42".utf8))
        #expect(value.keyID == key.keyID)
        #expect(value.nonce.count == 12)
        #expect(value.ciphertext.count == 13 + 16)
        #expect(try key.decrypt(value, additionalData: Array("domain:42".utf8)) == Array("dns-api-token".utf8))
        #expect(throws: CryptoError(.authenticationFailed, "")) {
            try key.decrypt(value, additionalData: Array("domain:43".utf8))
        }
    }

    @Test func decryptRejectsOtherKeysValue() throws {
        let value = try MasterKey.generate().encrypt([1, 2, 3])
        #expect(throws: CryptoError(.unknownKeyID, "")) { try MasterKey.generate().decrypt(value) }
    }

    @Test func encryptedValueEncodingRoundTrip() throws {
        let key = try MasterKey.generate()
        let value = try key.encrypt(Array("hello".utf8))
        let encoded = value.encoded
        #expect(encoded.hasPrefix("v1.\(key.keyID)."))
        let decoded = try #require(EncryptedValue(encoded: encoded))
        #expect(decoded == value)
        #expect(try key.decrypt(decoded) == Array("hello".utf8))
        #expect(EncryptedValue(encoded: "v2" + encoded.dropFirst(2)) == nil)
        #expect(EncryptedValue(encoded: encoded + "=") == nil)
        #expect(EncryptedValue(encoded: "v1.XYZ.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA") == nil)
    }

    @Test func generatedFileIsRaw32BytesWithMode0600() throws {
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/master.key"
        let key = try MasterKey.generate(toFile: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((attributes[.size] as? NSNumber)?.intValue == 32)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["master.key"])
        let loaded = try MasterKey.load(fromFile: path)
        #expect(loaded.keyID == key.keyID)
        #expect(try loaded.decrypt(key.encrypt([9, 8, 7])) == [9, 8, 7])
    }

    @Test func generateRefusesToOverwrite() throws {
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/master.key"
        let first = try MasterKey.generate(toFile: path)
        #expect(throws: CryptoError(.fileSystem, "")) { try MasterKey.generate(toFile: path) }
        #expect(try MasterKey.load(fromFile: path).keyID == first.keyID)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["master.key"])
    }

    @Test func loadsHexFileWithTrailingNewline() throws {
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/hex.key"
        let hex = String(repeating: "00", count: 32)
        try (hex + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try MasterKey.load(fromFile: path).keyID == "66687aad")
    }

    @Test func rejectsOtherFileContents() throws {
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let cases = [
            "short": "abc", "base64": Base64.encode([UInt8](repeating: 1, count: 32)),
            "badhex": String(repeating: "zz", count: 32),
        ]
        for (name, contents) in cases {
            let path = directory + "/" + name
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: CryptoError(.invalidKey, "")) { try MasterKey.load(fromFile: path) }
        }
        #expect(throws: CryptoError(.fileSystem, "")) { try MasterKey.load(fromFile: directory + "/missing") }
    }
}

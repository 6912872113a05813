import Testing

@testable import Crypto

@Suite struct AEADTests {
    /// McGrew & Viega, "The Galois/Counter Mode of Operation", test case 13 (AES-256, empty plaintext).
    @Test func gcmSpecTestCase13() throws {
        let box = try AEAD.seal(
            plaintext: [],
            key: [UInt8](repeating: 0, count: 32),
            nonce: [UInt8](repeating: 0, count: 12),
            additionalData: []
        )
        #expect(box.ciphertext.isEmpty)
        #expect(Hex.encode(box.tag) == "530f8afbc74536b9a963b4f1c4cb738b")
    }

    /// Test case 14: zero key, zero nonce, 16 zero bytes.
    @Test func gcmSpecTestCase14() throws {
        let zeroKey = [UInt8](repeating: 0, count: 32)
        let box = try AEAD.seal(
            plaintext: [UInt8](repeating: 0, count: 16),
            key: zeroKey,
            nonce: [UInt8](repeating: 0, count: 12),
            additionalData: []
        )
        #expect(Hex.encode(box.ciphertext) == "cea7403d4d606b6e074ec5d3baf39d18")
        #expect(Hex.encode(box.tag) == "d0d1c8a799996bf0265b98b5d48ab919")
        #expect(try AEAD.open(box, key: zeroKey) == [UInt8](repeating: 0, count: 16))
    }

    /// Test case 16: AES-256 with additional data and a 60-byte plaintext.
    @Test func gcmSpecTestCase16() throws {
        let key = TestSupport.hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let nonce = TestSupport.hex("cafebabefacedbaddecaf888")
        let plaintext = TestSupport.hex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
                + "b16aedf5aa0de657ba637b39"
        )
        let additionalData = TestSupport.hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let box = try AEAD.seal(plaintext: plaintext, key: key, nonce: nonce, additionalData: additionalData)
        #expect(
            Hex.encode(box.ciphertext) == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
        )
        #expect(Hex.encode(box.tag) == "76fc6ece0f4e1768cddf8853bb2d551b")
        #expect(try AEAD.open(box, key: key, additionalData: additionalData) == plaintext)
    }

    @Test func roundTripWithRandomNonce() throws {
        let key = try SecureRandom.bytes(count: 32)
        let message = Array("attack at dawn".utf8)
        let first = try AEAD.seal(plaintext: message, key: key)
        let second = try AEAD.seal(plaintext: message, key: key)
        #expect(first.nonce.count == 12)
        #expect(first.nonce != second.nonce)
        #expect(try AEAD.open(first, key: key) == message)
        #expect(try AEAD.open(AEAD.SealedBox(combined: first.combined), key: key) == message)
    }

    @Test func tamperingIsDetected() throws {
        let key = try SecureRandom.bytes(count: 32)
        let box = try AEAD.seal(plaintext: Array("secret".utf8), key: key, additionalData: [1])
        var ciphertext = box.ciphertext
        ciphertext[0] ^= 0x01
        var tag = box.tag
        tag[15] ^= 0x80
        var nonce = box.nonce
        nonce[0] ^= 0x01
        let tampered = [
            try AEAD.SealedBox(nonce: box.nonce, ciphertext: ciphertext, tag: box.tag),
            try AEAD.SealedBox(nonce: box.nonce, ciphertext: box.ciphertext, tag: tag),
            try AEAD.SealedBox(nonce: nonce, ciphertext: box.ciphertext, tag: box.tag),
        ]
        for candidate in tampered {
            #expect(throws: CryptoError(.authenticationFailed, "")) {
                try AEAD.open(candidate, key: key, additionalData: [1])
            }
        }
        #expect(throws: CryptoError(.authenticationFailed, "")) { try AEAD.open(box, key: key, additionalData: [2]) }
        #expect(throws: CryptoError(.authenticationFailed, "")) { try AEAD.open(box, key: key) }
        var otherKey = key
        otherKey[0] ^= 1
        #expect(throws: CryptoError(.authenticationFailed, "")) {
            try AEAD.open(box, key: otherKey, additionalData: [1])
        }
    }

    @Test func rejectsBadKeyAndBoxLengths() throws {
        #expect(throws: CryptoError(.invalidKey, "")) {
            try AEAD.seal(plaintext: [1], key: [UInt8](repeating: 0, count: 16))
        }
        #expect(throws: CryptoError(.invalidInput, "")) {
            try AEAD.SealedBox(combined: [UInt8](repeating: 0, count: 27))
        }
        #expect(throws: CryptoError(.invalidInput, "")) {
            try AEAD.SealedBox(nonce: [0], ciphertext: [], tag: [UInt8](repeating: 0, count: 16))
        }
    }
}

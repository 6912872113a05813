import Testing

@testable import Crypto

@Suite struct ScryptTests {
    @Test func rfc7914Section12Vector1() throws {
        let key = try Scrypt.derive(password: [], salt: [], n: 16, r: 1, p: 1, length: 64)
        #expect(
            Hex.encode(key) == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
        )
    }

    @Test func rfc7914Section12Vector2() throws {
        let key = try Scrypt.derive(
            password: Array("password".utf8),
            salt: Array("NaCl".utf8),
            n: 1024,
            r: 8,
            p: 16,
            length: 64
        )
        #expect(
            Hex.encode(key) == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        )
    }

    @Test func rejectsInvalidParameters() {
        #expect(throws: CryptoError(.invalidInput, "")) {
            try Scrypt.derive(password: [], salt: [], n: 1000, r: 1, p: 1, length: 32)
        }
        #expect(throws: CryptoError(.invalidInput, "")) {
            try Scrypt.derive(password: [], salt: [], n: 16, r: 0, p: 1, length: 32)
        }
    }

    @Test func rejectsParametersAboveMemoryLimit() {
        #expect(throws: CryptoError(.invalidInput, "")) {
            try Scrypt.derive(password: [], salt: [], n: 1 << 20, r: 8, p: 1, length: 32, maximumMemory: 64 << 20)
        }
    }
}

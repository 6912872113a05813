import Testing

@testable import Crypto

@Suite struct SecureRandomTests {
    @Test func returnsRequestedCount() throws {
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
        #expect(try SecureRandom.bytes(count: 1).count == 1)
        #expect(try SecureRandom.bytes(count: 4096).count == 4096)
    }

    @Test func successiveOutputsDiffer() throws {
        #expect(try SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
    }

    @Test func negativeCountIsRejected() {
        #expect(throws: CryptoError(.invalidInput, "")) { try SecureRandom.bytes(count: -1) }
    }

    @Test func tokenHasPrefixAndBase64URLBody() throws {
        let token = try SecureRandom.token(prefix: "mts_")
        #expect(token.hasPrefix("mts_"))
        let body = try #require(Base64URL.decode(token.dropFirst(4)))
        #expect(body.count == 32)
        #expect(try SecureRandom.token() != SecureRandom.token())
    }
}

import Testing

@testable import Crypto

@Suite struct HMACTests {
    @Test func rfc4231TestCase1() throws {
        let mac = try HMAC.sha256(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8))
        #expect(Hex.encode(mac) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func rfc4231TestCase2() throws {
        let mac = try HMAC.sha256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func rfc4231TestCase6KeyLongerThanBlock() throws {
        let mac = try HMAC.sha256(
            key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        )
        #expect(Hex.encode(mac) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func validationIsExact() throws {
        let key = Array("Jefe".utf8)
        let data = Array("what do ya want for nothing?".utf8)
        let mac = try HMAC.sha256(key: key, data: data)
        #expect(try HMAC.isValidSHA256(mac, key: key, data: data))
        var flipped = mac
        flipped[31] ^= 1
        #expect(try !HMAC.isValidSHA256(flipped, key: key, data: data))
        #expect(try !HMAC.isValidSHA256(Array(mac.prefix(16)), key: key, data: data))
    }
}

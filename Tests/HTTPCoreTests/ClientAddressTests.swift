import HTTPCore
import Testing

@Suite struct ClientAddressTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:DB8::7", "2001:db8::7"),
        ("2001:0db8::0001", "2001:db8::1"),
        // RFC 5952 §4.2.2 and §4.2.3: a single zero group stays; the longest run (the first on a tie) shortens.
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        // IPv4-mapped addresses are the IPv4 client itself.
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::FFFF:c000:0201", "192.0.2.1"),
    ])
    func parsesAndFormatsCanonically(text: String, canonical: String) throws {
        let address = try #require(ClientAddress(text))
        #expect(address.description == canonical)
        #expect(ClientAddress(canonical) == address)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1..2.3", " 1.2.3.4", "1.2.3.4 ", "1.2.3.-4",
        ":", ":::", "1:", ":1", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::g", "fe80::1%eth0",
        "[::1]", "1.2.3.4:80", "::1.2.3", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", "localhost", "unknown",
    ])
    func rejectsWhatIsNotAnIPLiteral(text: String) {
        #expect(ClientAddress(text) == nil)
    }

    @Test func ipv4IsKeptIPv4Mapped() throws {
        let address = try #require(ClientAddress("192.0.2.1"))
        #expect(address.isIPv4)
        #expect(address.ipv4 == 0xC000_0201)
        #expect(address == ClientAddress(ipv4: 0xC000_0201))
        #expect(address == ClientAddress(high: 0, low: 0xFFFF_C000_0201))
        let ipv6 = try #require(ClientAddress("2001:db8::1"))
        #expect(!ipv6.isIPv4)
        #expect(ipv6.ipv4 == nil)
        #expect(ipv6.high == 0x2001_0DB8_0000_0000 && ipv6.low == 1)
    }

    @Test func masking() throws {
        let address = try #require(ClientAddress("2001:db8:1:2:3:4:5:6"))
        #expect(address.masked(toPrefixLength: 64).description == "2001:db8:1:2::")
        #expect(address.masked(toPrefixLength: 32).description == "2001:db8::")
        #expect(address.masked(toPrefixLength: 0).description == "::")
        #expect(address.masked(toPrefixLength: 128) == address)
        #expect(address.masked(toPrefixLength: 100).description == "2001:db8:1:2:3:4::")
    }

    // MARK: - Limit keys

    @Test(arguments: [
        ("203.0.113.9", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::ffff", "2001:db8:1:2::/64"),
        ("2001:db8::1", "2001:db8::/64"),
        ("::1", "::/64"),
        // Not an address: unchanged, so in-memory requests without one share a bucket.
        ("", ""),
        ("not-an-address", "not-an-address"),
    ])
    func limitKeysCountIPv4AddressesAndIPv6SlashSixtyFours(address: String, key: String) {
        #expect(ClientAddress.limitKey(address) == key)
    }

    @Test func addressesInOneSlashSixtyFourShareALimitPrefix() throws {
        let one = try #require(ClientAddress("2001:db8:1:2::1"))
        let two = try #require(ClientAddress("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        let other = try #require(ClientAddress("2001:db8:1:3::1"))
        #expect(one.limitPrefix == two.limitPrefix)
        #expect(one.limitPrefix != other.limitPrefix)
        let ipv4 = try #require(ClientAddress("192.0.2.1"))
        #expect(ipv4.limitPrefix == ipv4)
        #expect(ipv4.limitPrefix != (try #require(ClientAddress("192.0.2.2"))).limitPrefix)
    }
}

import Testing

@testable import SystemIO

@Suite struct SocketAddressTests {
    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1:8080", UInt16(8080), SocketAddress.Family.ipv4),
        ("0.0.0.0:0", "0.0.0.0:0", UInt16(0), .ipv4),
        ("[::1]:443", "[::1]:443", UInt16(443), .ipv6),
        ("[::]:65535", "[::]:65535", UInt16(65535), .ipv6),
        ("[2001:DB8::1]:25", "[2001:db8::1]:25", UInt16(25), .ipv6),
        ("10.1.2.3:00080", "10.1.2.3:80", UInt16(80), .ipv4),
    ])
    func parsesValidAddresses(input: String, canonical: String, port: UInt16, family: SocketAddress.Family) throws {
        let address = try SocketAddress(parsing: input)
        #expect(address.description == canonical)
        #expect(address.port == port)
        #expect(address.family == family)
        #expect(try SocketAddress(parsing: canonical) == address)
    }

    @Test(arguments: [
        ("127.0.0.1", SocketAddressError.missingPort),
        ("127.0.0.1:", .missingPort),
        ("[::1]", .missingPort),
        ("[::1]443", .missingPort),
        ("127.0.0.1:65536", .invalidPort),
        ("127.0.0.1:-1", .invalidPort),
        ("127.0.0.1:8a", .invalidPort),
        ("127.0.0.1:123456", .invalidPort),
        ("256.0.0.1:80", .invalidHost),
        ("localhost:80", .invalidHost),
        ("[127.0.0.1]:80", .invalidHost),
        ("[::1:443", .invalidHost),
        (":80", .invalidHost),
        ("::1:443", .unbracketedIPv6),
    ])
    func rejectsInvalidAddresses(input: String, expected: SocketAddressError) {
        #expect(throws: expected) { try SocketAddress(parsing: input) }
    }

    @Test func ipAddressAndWithPort() throws {
        let address = try SocketAddress(ipAddress: "192.168.0.1", port: 1)
        #expect(address.ipAddress == "192.168.0.1")
        #expect(address.withPort(9).description == "192.168.0.1:9")
        #expect(try SocketAddress(ipAddress: "fe80::1", port: 2).ipAddress == "fe80::1")
        #expect(throws: SocketAddressError.invalidHost) { try SocketAddress(ipAddress: "example.com", port: 1) }
    }

    @Test func hashableDistinguishesPortAndFamily() throws {
        let set: Set<SocketAddress> = [
            try SocketAddress(parsing: "127.0.0.1:1"), try SocketAddress(parsing: "127.0.0.1:2"),
            try SocketAddress(parsing: "[::1]:1"), try SocketAddress(parsing: "127.0.0.1:1"),
        ]
        #expect(set.count == 3)
    }

    @Test func createsAddressesFromNetworkOrderBytes() throws {
        #expect(SocketAddress(addressBytes: [127, 0, 0, 1], port: 53) == (try SocketAddress(parsing: "127.0.0.1:53")))
        #expect(SocketAddress(addressBytes: [192, 0, 2, 10], port: 0)?.description == "192.0.2.10:0")
        let v6 = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
        #expect(SocketAddress(addressBytes: v6, port: 853) == (try SocketAddress(parsing: "[2001:db8::1]:853")))
        #expect(SocketAddress(addressBytes: [1, 2, 3], port: 53) == nil)
        #expect(SocketAddress(addressBytes: [UInt8](repeating: 0, count: 5), port: 53) == nil)
    }

    @Test func numericAddressIsMostSignificantFirst() throws {
        let v4 = try SocketAddress(parsing: "192.0.2.77:53").numericAddress
        #expect(v4.high == 0)
        #expect(v4.low == 0xC000_024D)
        #expect(v4.low >> 8 == 0xC0_0002)  // the /24
        let v6 = try SocketAddress(parsing: "[2001:db8:aa:bbcc::1:2]:53").numericAddress
        #expect(v6.high == 0x2001_0DB8_00AA_BBCC)
        #expect(v6.low == 0x0000_0000_0001_0002)
        #expect(v6.high >> 8 == 0x20_010D_B800_AABB)  // the /56
        #expect(try SocketAddress(parsing: "[::1]:1").numericAddress == (0, 1))
    }
}

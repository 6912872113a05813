import HTTPCore
import Testing

@Suite struct CIDRBlockTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("192.0.2.7", "192.0.2.7/32"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("2001:DB8::/32", "2001:db8::/32"),
        ("2001:db8::1", "2001:db8::1/128"),
        ("::/0", "::/0"),
    ])
    func parses(text: String, canonical: String) throws {
        #expect(try #require(CIDRBlock(text)).description == canonical)
    }

    @Test(arguments: [
        "", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/8/9", "10.0.0.1/8",
        "2001:db8::/129", "2001:db8::1/32", "fe80::/10%eth0", "10.0.0.0/ 8", "example.com/8", "::ffff:10.0.0.0/8",
        "::ffff:0:0/96",
    ])
    func rejects(text: String) {
        #expect(CIDRBlock(text) == nil)
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.255.0.1", true),
        ("10.0.0.0/8", "11.0.0.1", false),
        ("192.0.2.7", "192.0.2.7", true),
        ("192.0.2.7", "192.0.2.8", false),
        ("0.0.0.0/0", "203.0.113.1", true),
        // An IPv4 block holds no IPv6 address, not even one whose low bits look the same.
        ("0.0.0.0/0", "::c000:201", false),
        ("0.0.0.0/0", "2001:db8::1", false),
        ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("2001:db8::/32", "32.1.13.184", false),
        // The whole IPv6 space includes the IPv4-mapped addresses, so ::/0 trusts everything.
        ("::/0", "192.0.2.1", true),
    ])
    func contains(block: String, address: String, expected: Bool) throws {
        let block = try #require(CIDRBlock(block))
        #expect(block.contains(try #require(ClientAddress(address))) == expected)
    }
}

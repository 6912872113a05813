import Testing

@testable import DNS

@Suite struct DNSServerAddressTests {
    @Test(arguments: [
        ("192.0.2.53", "192.0.2.53:53"), ("127.0.0.1:5353", "127.0.0.1:5353"), ("[::1]:53", "[::1]:53"),
        ("[2001:db8::1]", "[2001:db8::1]:53"), ("2001:db8::1", "[2001:db8::1]:53"), ("::1", "[::1]:53"),
        ("[::ffff:127.0.0.1]:8053", "[::ffff:7f00:1]:8053"),
    ])
    func parses(text: String, canonical: String) throws {
        #expect(try DNSServerAddress(text).description == canonical)
    }

    @Test(arguments: [
        "", "localhost", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:65536", "[::1", "[::1]53", "[::1]:x", "::1:53:",
        "1.2.3.4:+5",
    ])
    func rejects(text: String) {
        #expect(throws: DNSError(.invalidAddress, "")) { try DNSServerAddress(text) }
    }

    @Test func usesDefaultPort() throws {
        #expect(try DNSServerAddress("10.0.0.1", defaultPort: 5300).port == 5300)
        #expect(try DNSServerAddress("10.0.0.1:53", defaultPort: 5300).port == 53)
    }

    @Test func parsesResolvConf() throws {
        let text = """
            # comment
            ; another
            search example.com
            nameserver 192.0.2.1
            nameserver\t2001:db8::53
            nameserver fe80::1%eth0
            options ndots:2 timeout:1
              nameserver 192.0.2.2
            nameserver
            """
        let servers = DNSClient.parseResolvConf(text)
        #expect(servers.map(\.description) == ["192.0.2.1:53", "[2001:db8::53]:53", "192.0.2.2:53"])
    }

    @Test func readsResolvConfFileOrReturnsEmpty() {
        #expect(DNSClient.systemResolvers(resolvConf: "/nonexistent/resolv.conf").isEmpty)
        // The real file may list anything; whatever it lists must have parsed into addresses with ports.
        #expect(DNSClient.systemResolvers().allSatisfy { $0.port == 53 })
    }
}

import HTTPCore
import Testing

@Suite struct TrustedProxiesTests {
    /// A load balancer network and an IPv6 proxy range.
    static let proxies = TrustedProxies([CIDRBlock("10.0.0.0/8"), CIDRBlock("2001:db8:ffff::/48")].compactMap { $0 })

    static func resolve(peer: String, forwarded: [String] = [], xForwardedFor: [String] = []) -> String {
        var fields = HTTPFields()
        for line in forwarded { fields.append(.forwarded, line) }
        for line in xForwardedFor { fields.append(.xForwardedFor, line) }
        guard let peer = ClientAddress(peer) else { return "bad peer" }
        return proxies.clientAddress(peer: peer, fields: fields).description
    }

    @Test func nothingIsTrustedByDefault() throws {
        var fields = HTTPFields()
        fields.append(.xForwardedFor, "203.0.113.7")
        let peer = try #require(ClientAddress("10.0.0.2"))
        #expect(TrustedProxies().isEmpty)
        #expect(TrustedProxies().clientAddress(peer: peer, fields: fields) == peer)
    }

    @Test func aDirectClientsHeadersAreIgnored() {
        #expect(Self.resolve(peer: "203.0.113.5", xForwardedFor: ["198.51.100.1"]) == "203.0.113.5")
        #expect(Self.resolve(peer: "203.0.113.5", forwarded: ["for=198.51.100.1"]) == "203.0.113.5")
    }

    @Test(arguments: [
        // The rightmost hop that is not a trusted proxy; entries left of it are the client's own and ignored.
        (["198.51.100.1, 203.0.113.7, 10.0.0.3"], "203.0.113.7"),
        (["203.0.113.7"], "203.0.113.7"),
        (["spoofed, 203.0.113.7"], "203.0.113.7"),
        (["198.51.100.1", "203.0.113.7"], "203.0.113.7"),
        (["2001:db8:1::7, 2001:db8:ffff::2"], "2001:db8:1::7"),
        // Every hop trusted: the leftmost.
        (["10.0.0.5, 10.0.0.3"], "10.0.0.5"),
        // An unidentified hop before any untrusted one, or nothing usable: the peer.
        (["203.0.113.7, unknown"], "10.0.0.2"),
        (["203.0.113.7, garbage"], "10.0.0.2"),
        ([""], "10.0.0.2"),
        ([" , "], "10.0.0.2"),
    ])
    func xForwardedForBehindATrustedProxy(lines: [String], client: String) {
        #expect(Self.resolve(peer: "10.0.0.2", xForwardedFor: lines) == client)
    }

    @Test(arguments: [
        ([#"for=198.51.100.1, for="[2001:db8:cafe::17]:4711""#], "2001:db8:cafe::17"),
        (["for=203.0.113.7;proto=https, for=10.0.0.3"], "203.0.113.7"),
        (["for=10.0.0.9"], "10.0.0.9"),
        (["for=203.0.113.7, for=unknown"], "10.0.0.2"),
        (["for=_hidden"], "10.0.0.2"),
        (["by=10.0.0.3"], "10.0.0.2"),
        // Malformed: the peer.
        (["for=[2001:db8:cafe::17]"], "10.0.0.2"),
        (["for=203.0.113.7;for=198.51.100.1"], "10.0.0.2"),
    ])
    func forwardedBehindATrustedProxy(lines: [String], client: String) {
        #expect(Self.resolve(peer: "10.0.0.2", forwarded: lines) == client)
    }

    @Test func bothHeadersMustAgree() {
        #expect(
            Self.resolve(peer: "10.0.0.2", forwarded: ["for=203.0.113.7"], xForwardedFor: ["203.0.113.7"])
                == "203.0.113.7"
        )
        // A proxy that appends to X-Forwarded-For passes a forged Forwarded through untouched, and vice versa.
        #expect(
            Self.resolve(peer: "10.0.0.2", forwarded: ["for=198.51.100.66"], xForwardedFor: ["203.0.113.7"])
                == "10.0.0.2"
        )
        #expect(
            Self.resolve(peer: "10.0.0.2", forwarded: ["for=[::1]"], xForwardedFor: ["203.0.113.7"]) == "10.0.0.2"
        )
    }

    @Test func anIPv6ProxyForwardingForAnIPv4Client() {
        #expect(Self.resolve(peer: "2001:db8:ffff::1", xForwardedFor: ["192.0.2.44"]) == "192.0.2.44")
        #expect(Self.resolve(peer: "2001:db8:fffe::1", xForwardedFor: ["192.0.2.44"]) == "2001:db8:fffe::1")
    }

    @Test func clientWalksTheChain() throws {
        let chain = ForwardedNode.chain(xForwardedFor: ["192.0.2.1, 203.0.113.7, 10.1.1.1"])
        #expect(Self.proxies.client(in: chain) == ClientAddress("203.0.113.7"))
        #expect(Self.proxies.client(in: []) == nil)
        #expect(Self.proxies.client(in: [.unidentified]) == nil)
        #expect(Self.proxies.contains(try #require(ClientAddress("10.200.0.1"))))
        #expect(!Self.proxies.contains(try #require(ClientAddress("11.0.0.1"))))
    }
}

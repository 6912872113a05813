import HTTPCore
import Testing

@Suite struct ForwardedNodeTests {
    /// `.address` of a literal known to parse.
    static func address(_ text: String) -> ForwardedNode {
        ClientAddress(text).map(ForwardedNode.address) ?? .unidentified
    }

    // MARK: - Forwarded (RFC 7239)

    @Test(arguments: [
        // RFC 7239 §4.
        (#"for="_gazonk""#, [ForwardedNode.unidentified]),
        (#"For="[2001:db8:cafe::17]:4711""#, [address("2001:db8:cafe::17")]),
        ("for=192.0.2.60;proto=http;by=203.0.113.43", [address("192.0.2.60")]),
        ("for=192.0.2.43, for=198.51.100.17", [address("192.0.2.43"), address("198.51.100.17")]),
        // RFC 7239 §7.4 (the X-Forwarded-For translation) and §7.5.
        (#"for=192.0.2.43, for="[2001:db8:cafe::17]""#, [address("192.0.2.43"), address("2001:db8:cafe::17")]),
        (
            #"for=192.0.2.43,for="[2001:db8:cafe::17]",for=unknown"#,
            [address("192.0.2.43"), address("2001:db8:cafe::17"), .unidentified]
        ),
        (
            "for=192.0.2.43,for=198.51.100.17;by=203.0.113.60;proto=http;host=example.com",
            [address("192.0.2.43"), address("198.51.100.17")]
        ),
        // RFC 7239 §6.2 and §6.3: obfuscated nodes and ports.
        ("for=_hidden, for=_SEVKISEK", [.unidentified, .unidentified]),
        (#"for="192.0.2.43:_port1""#, [address("192.0.2.43")]),
        (#"for="_hidden:4711""#, [.unidentified]),
        (#"for="unknown:80""#, [.unidentified]),
        ("for=UNKNOWN", [.unidentified]),
        // A quoted pair, parameter names in any case, whitespace around separators, empty list elements.
        (#"for="\[2001:db8::1\]""#, [address("2001:db8::1")]),
        ("FOR=192.0.2.1 ; Proto=https", [address("192.0.2.1")]),
        (" , ,for=192.0.2.1,, ", [address("192.0.2.1")]),
        // An element without for= is a hop that recorded no client.
        ("by=203.0.113.43;proto=https, for=192.0.2.1", [.unidentified, address("192.0.2.1")]),
        ("", []),
    ])
    func parsesForwarded(value: String, chain: [ForwardedNode]) {
        #expect(ForwardedNode.chain(forwarded: [value]) == chain)
    }

    @Test func forwardedLinesFormOneList() {
        let chain = ForwardedNode.chain(forwarded: ["for=192.0.2.1", #"for="[2001:db8::2]""#])
        #expect(chain == [Self.address("192.0.2.1"), Self.address("2001:db8::2")])
    }

    @Test(arguments: [
        "for=[2001:db8::1]",  // IPv6 must be quoted (brackets are not token characters)
        #"for="2001:db8::1""#,  // and bracketed
        #"for="[192.0.2.1]""#,  // brackets are for IPv6 only
        "for=192.0.2.1:80",  // a port must be quoted
        #"for="192.0.2.1:123456""#,
        #"for="192.0.2.1:""#,
        #"for="[2001:db8::1]:x""#,
        "for=192.0.2.43;for=198.51.100.17",  // a parameter twice in one element
        "for=192.0.2.43;proto=http;proto=https",
        #"for="192.0.2.43"#,  // unterminated quoted string
        "for=",
        "=192.0.2.1",
        "for",
        "for=192.0.2.43 for=198.51.100.17",
        "for=192.0.2.43;;by=x y",
        "for=300.1.1.1",
        "for=example.com",
        "for=_",
        #"for="_a b""#,
        "for=192.0.2.1,for=\u{1}",
        "for=\"192.0.2.1\u{7F}\"",
    ])
    func rejectsMalformedForwarded(value: String) {
        #expect(ForwardedNode.chain(forwarded: [value]) == nil)
    }

    @Test func oneMalformedLineSpoilsTheHeader() {
        #expect(ForwardedNode.chain(forwarded: ["for=192.0.2.1", "for=[::1]"]) == nil)
    }

    // MARK: - X-Forwarded-For

    @Test(arguments: [
        ("192.0.2.43, 2001:db8:cafe::17", [address("192.0.2.43"), address("2001:db8:cafe::17")]),
        ("203.0.113.7", [address("203.0.113.7")]),
        (
            "192.0.2.43:4711,[2001:db8::1]:443,[2001:db8::2]",
            [address("192.0.2.43"), address("2001:db8::1"), address("2001:db8::2")]
        ),
        ("unknown, 192.0.2.1", [.unidentified, address("192.0.2.1")]),
        ("garbage, 192.0.2.1", [.unidentified, address("192.0.2.1")]),
        (" 192.0.2.1 ,, ", [address("192.0.2.1")]),
        ("192.0.2.1:, 1.2.3.04", [.unidentified, .unidentified]),
        ("", []),
    ])
    func parsesXForwardedFor(value: String, chain: [ForwardedNode]) {
        #expect(ForwardedNode.chain(xForwardedFor: [value]) == chain)
    }

    @Test func xForwardedForLinesFormOneList() {
        let chain = ForwardedNode.chain(xForwardedFor: ["192.0.2.1", "198.51.100.2, 203.0.113.3"])
        #expect(chain == [Self.address("192.0.2.1"), Self.address("198.51.100.2"), Self.address("203.0.113.3")])
    }
}

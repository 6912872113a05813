import DNS
import Testing

@testable import DNSServer

/// Where names fall in the zone: exactly the apex, three empty non-terminals and two leaf families.
@Suite struct AuthoritativeZoneNodeTests {
    @Test(arguments: [
        ("sts.platform.example", AuthoritativeZoneNode.apex),
        ("STS.Platform.EXAMPLE", .apex),
        ("_mta-sts.sts.platform.example", .emptyNonTerminal),
        ("_tls.sts.platform.example", .emptyNonTerminal),
        ("_smtp._tls.sts.platform.example", .emptyNonTerminal),
        ("_SMTP._TLS.sts.platform.example", .emptyNonTerminal),
        ("abc123._mta-sts.sts.platform.example", .sts(label: "abc123")),
        ("AbC-1_2._MTA-STS.sts.platform.example", .sts(label: "abc-1_2")),
        ("abc123._smtp._tls.sts.platform.example", .tlsrpt(label: "abc123")),
        ("_smtp.sts.platform.example", .nonexistent),
        ("www.sts.platform.example", .nonexistent),
        ("abc123._tls.sts.platform.example", .nonexistent),
        ("x.abc123._mta-sts.sts.platform.example", .nonexistent),
        ("x.abc123._smtp._tls.sts.platform.example", .nonexistent),
        ("a\\.b._mta-sts.sts.platform.example", .nonexistent),
        ("caf\\195\\169._mta-sts.sts.platform.example", .nonexistent),
        ("platform.example", .outsideZone),
        ("xsts.platform.example", .outsideZone),
        ("sts.platform.example.com", .outsideZone),
        (".", .outsideZone),
    ])
    func classifies(name: String, node: AuthoritativeZoneNode) throws {
        #expect(AuthoritativeZoneNode(try DNSName(name), apex: try DNSName("sts.platform.example")) == node)
    }
}

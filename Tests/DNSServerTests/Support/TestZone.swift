import DNS
import DNSServer

/// The zone every test serves: `sts.platform.example`, two name servers outside it, negative TTL 30 (below the
/// apex TTL of 3600, so the negative SOA TTL shows RFC 2308's minimum).
enum TestZone {
    static let apex = "sts.platform.example"
    static let serial: UInt32 = 2_024_061_501
    static let stsRecord = "v=STSv1; id=20240615T120000"
    static let tlsrptRecord = "v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.net"
    /// A realistic long TLSRPT record (several https reporting URIs): 600-odd bytes, more than 512 with the
    /// question, less than 1232.
    static let bigTLSRPTRecord =
        "v=TLSRPTv1; rua="
        + (1...9).map { "https://reports\($0).tlsrpt.example.net/v1/submit/0123456789abcdef0123456789" }
        .joined(separator: ",")

    static func configuration(maximumUDPPayload: Int = 1232) throws -> AuthoritativeZoneConfiguration {
        AuthoritativeZoneConfiguration(
            apex: try DNSName(apex),
            nameServers: [try DNSName("ns1.platform.example"), try DNSName("ns2.platform.example")],
            recordTTL: 60,
            negativeTTL: 30,
            maximumUDPPayload: maximumUDPPayload
        )
    }

    static let content = FixedZoneContent(
        sts: ["abc123": stsRecord, "big": "v=STSv1; id=big"],
        tlsrpt: ["abc123": tlsrptRecord, "big": bigTLSRPTRecord],
        serial: serial
    )

    static func responder(maximumUDPPayload: Int = 1232) throws -> AuthoritativeResponder {
        try AuthoritativeResponder(zone: try configuration(maximumUDPPayload: maximumUDPPayload))
    }
}

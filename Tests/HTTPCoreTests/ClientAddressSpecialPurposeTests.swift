import HTTPCore
import Testing

/// Which addresses an outbound request to a tenant's URL must not reach (RFC 6890, IANA special-purpose
/// registries): every block of the tables, at its edges, and the public addresses just outside them.
@Suite struct ClientAddressSpecialPurposeTests {
    @Test(arguments: [
        ("0.0.0.0", SpecialPurposeBlock.unspecified), ("0.255.255.255", .unspecified),
        ("10.0.0.0", .private), ("10.255.255.255", .private),
        ("100.64.0.0", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("127.0.0.1", .loopback), ("127.255.255.254", .loopback),
        ("169.254.169.254", .linkLocal), ("169.254.0.1", .linkLocal),
        ("172.16.0.1", .private), ("172.31.255.255", .private),
        ("192.0.0.8", .reserved), ("192.0.2.1", .reserved),
        ("192.168.1.1", .private),
        ("198.18.0.1", .reserved), ("198.19.255.255", .reserved),
        ("198.51.100.7", .reserved), ("203.0.113.9", .reserved),
        ("224.0.0.1", .multicast), ("239.255.255.255", .multicast),
        ("240.0.0.1", .reserved), ("255.255.255.255", .reserved),
        ("::", .unspecified), ("::1", .loopback), ("::7f00:1", .reserved),
        ("::ffff:127.0.0.1", .loopback), ("::ffff:10.1.2.3", .private), ("::ffff:169.254.169.254", .linkLocal),
        ("64:ff9b::7f00:1", .loopback), ("64:ff9b::a9fe:a9fe", .linkLocal), ("64:ff9b:1::1", .private),
        ("2002:7f00:1::1", .loopback), ("2002:c0a8:101::", .private),
        ("100::1", .reserved), ("2001::1", .reserved), ("2001:2::1", .reserved), ("2001:db8::1", .reserved),
        ("3fff:fff::1", .reserved),
        ("fc00::1", .private), ("fdff:ffff::1", .private),
        ("fe80::1", .linkLocal), ("febf::1", .linkLocal), ("fec0::1", .private),
        ("ff02::1", .multicast), ("ff0e::101", .multicast),
    ])
    func specialPurpose(text: String, block: SpecialPurposeBlock) throws {
        #expect(try #require(ClientAddress(text)).specialPurposeBlock == block, "\(text)")
    }

    @Test(arguments: [
        "1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
        "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.1", "192.167.255.255",
        "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255", "93.184.216.34",
        "2001:4860:4860::8888", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "64:ff9b::808:808",
        "2002:808:808::1", "2001:1::1", "3fff:1000::1", "fbff::1", "fe7f::1",
    ])
    func publicAddresses(text: String) throws {
        #expect(try #require(ClientAddress(text)).specialPurposeBlock == nil, "\(text)")
    }

    @Test func phrasesReadAsSentences() {
        for block in SpecialPurposeBlock.allCases {
            #expect(block.phrase.hasPrefix("a ") || block.phrase.hasPrefix("an "))
        }
        #expect("127.0.0.1 is \(SpecialPurposeBlock.loopback.phrase)" == "127.0.0.1 is a loopback address")
    }
}

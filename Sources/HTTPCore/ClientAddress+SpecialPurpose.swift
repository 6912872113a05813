/// A block of addresses that is not globally reachable (RFC 6890 and IANA's IPv4 and IPv6 special-purpose address
/// registries): what an outbound request to a URL a tenant chose must never reach.
package enum SpecialPurposeBlock: String, Sendable, Hashable, CaseIterable {
    /// `0.0.0.0/8` ("this network", RFC 791) and `::/128`.
    case unspecified
    /// `127.0.0.0/8` and `::1/128`.
    case loopback
    /// RFC 1918 (`10/8`, `172.16/12`, `192.168/16`), unique local `fc00::/7`, site-local `fec0::/10`, local-use
    /// NAT64 `64:ff9b:1::/48`.
    case `private`
    /// `169.254.0.0/16` (cloud metadata services live here) and `fe80::/10`.
    case linkLocal = "link-local"
    /// `100.64.0.0/10`, carrier-grade NAT (RFC 6598).
    case sharedAddressSpace = "shared address space"
    /// `224.0.0.0/4` and `ff00::/8`.
    case multicast
    /// Documentation, benchmarking, protocol assignments, discard-only, Teredo, IPv4-compatible and the
    /// future-use block `240.0.0.0/4` (with the broadcast address).
    case reserved

    /// `a loopback address`, for messages such as "127.0.0.1 is a loopback address".
    package var phrase: String {
        switch self {
        case .unspecified: "an unspecified address"
        case .loopback: "a loopback address"
        case .private: "a private address"
        case .linkLocal: "a link-local address"
        case .sharedAddressSpace: "a carrier-grade NAT address"
        case .multicast: "a multicast address"
        case .reserved: "a reserved address"
        }
    }
}

extension ClientAddress {
    /// The special-purpose block the address lies in, or nil for a globally reachable address.
    ///
    /// IPv4-mapped (`::ffff:a.b.c.d`, kept as IPv4 by this type), NAT64 (`64:ff9b::/96`, RFC 6052) and 6to4
    /// (`2002::/16`, RFC 3056) addresses are judged by the IPv4 address they carry, so `[64:ff9b::7f00:1]` is
    /// loopback like `127.0.0.1`.
    ///
    /// ```swift
    /// ClientAddress("169.254.169.254")?.specialPurposeBlock   // .linkLocal
    /// ClientAddress("2001:4860::8888")?.specialPurposeBlock   // nil
    /// ```
    package var specialPurposeBlock: SpecialPurposeBlock? {
        if isIPv4 { return Self.ipv4Blocks.first { $0.block.contains(self) }?.kind }
        if let match = Self.ipv6Blocks.first(where: { $0.block.contains(self) }) { return match.kind }
        return embeddedIPv4?.specialPurposeBlock
    }

    /// The IPv4 address a NAT64 or 6to4 address carries.
    private var embeddedIPv4: ClientAddress? {
        if high == 0x0064_ff9b_0000_0000, low >> 32 == 0 { return ClientAddress(ipv4: UInt32(truncatingIfNeeded: low)) }
        if high >> 48 == 0x2002 { return ClientAddress(ipv4: UInt32(truncatingIfNeeded: high >> 16)) }
        return nil
    }

    private static let ipv4Blocks = blocks([
        ("0.0.0.0/8", .unspecified),
        ("10.0.0.0/8", .private),
        ("100.64.0.0/10", .sharedAddressSpace),
        ("127.0.0.0/8", .loopback),
        ("169.254.0.0/16", .linkLocal),
        ("172.16.0.0/12", .private),
        ("192.0.0.0/24", .reserved),
        ("192.0.2.0/24", .reserved),
        ("192.168.0.0/16", .private),
        ("198.18.0.0/15", .reserved),
        ("198.51.100.0/24", .reserved),
        ("203.0.113.0/24", .reserved),
        ("224.0.0.0/4", .multicast),
        ("240.0.0.0/4", .reserved),
    ])

    /// Searched in order: the single addresses before the `::/96` block that holds them.
    private static let ipv6Blocks = blocks([
        ("::/128", .unspecified),
        ("::1/128", .loopback),
        ("::/96", .reserved),
        ("64:ff9b:1::/48", .private),
        ("100::/64", .reserved),
        ("2001::/32", .reserved),
        ("2001:2::/48", .reserved),
        ("2001:db8::/32", .reserved),
        ("3fff::/20", .reserved),
        ("fc00::/7", .private),
        ("fe80::/10", .linkLocal),
        ("fec0::/10", .private),
        ("ff00::/8", .multicast),
    ])

    private static func blocks(
        _ table: [(String, SpecialPurposeBlock)]
    ) -> [(block: CIDRBlock, kind: SpecialPurposeBlock)] {
        // Every entry is a literal checked by ClientAddressSpecialPurposeTests, so none is dropped.
        table.compactMap { text, kind in CIDRBlock(text).map { ($0, kind) } }
    }
}

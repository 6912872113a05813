/// The IP address a client is known by: the TCP peer, or the client a trusted reverse proxy forwarded for.
///
/// The value is 128 bits. An IPv4 address is kept as its IPv4-mapped IPv6 form (`::ffff:192.0.2.1`, RFC 4291
/// §2.5.5.2), so one representation, one mask and one comparison serve both families, and an IPv4 client that
/// reaches a dual-stack socket counts as the same client as over IPv4. Parsing and formatting are pure Swift (no
/// `inet_pton`), so this type stays in HTTPCore with the rest of the protocol code.
///
/// ```swift
/// let address = ClientAddress("2001:DB8::7")   // 2001:db8::7
/// address?.limitKey                           // "2001:db8::/64"
/// ClientAddress.limitKey("203.0.113.9")       // "203.0.113.9"
/// ```
package struct ClientAddress: Sendable, Hashable, CustomStringConvertible {
    /// The most significant 64 bits (network order: the first eight bytes of the IPv6 address).
    package let high: UInt64
    /// The least significant 64 bits.
    package let low: UInt64

    /// Creates an address from its 128 bits, most significant half first.
    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates the IPv4-mapped form of an IPv4 address given as a host-order number (`0xC0000201` is 192.0.2.1).
    package init(ipv4: UInt32) {
        self.init(high: 0, low: Self.ipv4MappedPrefix | UInt64(ipv4))
    }

    /// Whether this is an IPv4 address (kept IPv4-mapped).
    package var isIPv4: Bool {
        high == 0 && low >> 32 == Self.ipv4MappedPrefix >> 32
    }

    /// The IPv4 address as a host-order number, or nil for an IPv6 address.
    package var ipv4: UInt32? {
        isIPv4 ? UInt32(truncatingIfNeeded: low) : nil
    }

    /// The address with every bit after the first `prefixLength` (0…128, counted over the 128-bit form) cleared.
    package func masked(toPrefixLength prefixLength: Int) -> ClientAddress {
        let length = min(max(prefixLength, 0), 128)
        let highMask: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : .max << (64 - length))
        let lowMask: UInt64 = length <= 64 ? 0 : .max << (128 - length)
        return ClientAddress(high: high & highMask, low: low & lowMask)
    }

    /// `192.0.2.1` for IPv4; the RFC 5952 text for IPv6 (lower case, the longest run of two or more zero groups
    /// shortened to `::`).
    package var description: String {
        if let ipv4 { return Self.dottedQuad(ipv4) }
        var groups: [UInt16] = []
        groups.reserveCapacity(8)
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> shift)) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> shift)) }
        // RFC 5952 §4.2: shorten the longest run of zero groups (the first on a tie), never a single group.
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    /// The upper 32 bits of `low` in an IPv4-mapped address: `::ffff:0:0/96`.
    static let ipv4MappedPrefix: UInt64 = 0xFFFF << 32

    private static func dottedQuad(_ value: UInt32) -> String {
        "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
    }
}

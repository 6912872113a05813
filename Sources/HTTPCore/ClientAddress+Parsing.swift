// MARK: - Parsing IP literals

extension ClientAddress {
    /// Parses an IPv4 dotted quad (`192.0.2.1`) or an IPv6 literal (`2001:db8::1`, `::ffff:192.0.2.1`), without
    /// brackets, port or zone; nil for anything else.
    ///
    /// IPv4 follows RFC 3986's `IPv4address` (four decimal octets, no leading zeros, which some resolvers read as
    /// octal), IPv6 RFC 4291 §2.2 (one `::` at most, an IPv4 tail allowed).
    package init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        if let ipv4 = Self.parseIPv4(bytes[...]) {
            self.init(ipv4: ipv4)
        } else if let (high, low) = Self.parseIPv6(bytes[...]) {
            self.init(high: high, low: low)
        } else {
            return nil
        }
    }

    /// Four decimal octets separated by dots, as a host-order number.
    static func parseIPv4(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        var index = bytes.startIndex
        while octets < 4 {
            if octets > 0 {
                guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") else { return nil }
                index += 1
            }
            let start = index
            var octet: UInt32 = 0
            while index < bytes.endIndex, index - start < 3, HTTPSyntax.isDigit(bytes[index]) {
                octet = octet * 10 + UInt32(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            let length = index - start
            guard length > 0, octet <= 255, length == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            value = value << 8 | octet
            octets += 1
        }
        return index == bytes.endIndex ? value : nil
    }

    /// An IPv6 literal as its two 64-bit halves.
    static func parseIPv6(_ bytes: ArraySlice<UInt8>) -> (high: UInt64, low: UInt64)? {
        guard bytes.count >= 2, bytes.count <= 45 else { return nil }
        var groups: [UInt16] = []
        groups.reserveCapacity(8)
        var gap: Int?
        var index = bytes.startIndex
        if bytes[index] == UInt8(ascii: ":") {
            // A leading colon is only allowed as part of "::".
            guard bytes[index + 1] == UInt8(ascii: ":") else { return nil }
            gap = 0
            index += 2
        }
        while index < bytes.endIndex {
            if groups.count == 8 { return nil }
            let start = index
            var group: UInt64 = 0
            while index < bytes.endIndex, index - start < 4, let digit = HTTPSyntax.hexValue(bytes[index]) {
                group = group << 4 | digit
                index += 1
            }
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
                // An IPv4 tail fills the last two groups (RFC 4291 §2.2, form 3).
                guard groups.count <= 6, let ipv4 = parseIPv4(bytes[start...]) else { return nil }
                groups.append(UInt16(truncatingIfNeeded: ipv4 >> 16))
                groups.append(UInt16(truncatingIfNeeded: ipv4))
                index = bytes.endIndex
                break
            }
            guard index > start else { return nil }
            groups.append(UInt16(group))
            guard index < bytes.endIndex else { break }
            guard bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") {
                guard gap == nil else { return nil }
                gap = groups.count
                index += 1
            } else if index == bytes.endIndex {
                // A single trailing colon.
                return nil
            }
        }
        if let gap {
            // "::" stands for at least one zero group.
            guard groups.count < 8 else { return nil }
            groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: gap)
        }
        guard groups.count == 8 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for group in groups[0..<4] { high = high << 16 | UInt64(group) }
        for group in groups[4..<8] { low = low << 16 | UInt64(group) }
        return (high, low)
    }
}

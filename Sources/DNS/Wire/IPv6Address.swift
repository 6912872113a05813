/// An IPv6 address as sixteen bytes in network order.
package struct IPv6Address: Sendable, Hashable, CustomStringConvertible {
    /// The address bytes, most significant first.
    package let bytes: [UInt8]

    /// Creates an address from exactly sixteen bytes.
    package init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The loopback address `::1`.
    package static let loopback = IPv6Address(validBytes: Array(repeating: 0, count: 15) + [1])

    private init(validBytes: [UInt8]) {
        self.bytes = validBytes
    }

    /// Parses RFC 4291 §2.2 text: hex groups, one optional `::`, and an optional trailing dotted quad.
    /// Zone identifiers (`%eth0`) are not accepted.
    package init?(_ text: String) {
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        guard let head = Self.groups(halves[0], allowTrailingIPv4: halves.count == 1) else { return nil }
        var result: [UInt16]
        if halves.count == 2 {
            guard let tail = Self.groups(halves[1], allowTrailingIPv4: true), head.count + tail.count <= 7 else {
                return nil
            }
            result = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            result = head
        }
        guard result.count == 8 else { return nil }
        self.bytes = result.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// Parses colon-separated groups, where the last one may be a dotted quad (two groups).
    private static func groups(_ text: Substring, allowTrailingIPv4: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var result: [UInt16] = []
        for (offset, part) in parts.enumerated() {
            if offset == parts.count - 1, allowTrailingIPv4, part.contains(".") {
                guard let v4 = IPv4Address(String(part)) else { return nil }
                result.append(UInt16(v4.bytes[0]) << 8 | UInt16(v4.bytes[1]))
                result.append(UInt16(v4.bytes[2]) << 8 | UInt16(v4.bytes[3]))
                continue
            }
            guard (1...4).contains(part.count), let value = UInt16(part, radix: 16),
                part.allSatisfy({ $0.isHexDigit })
            else { return nil }
            result.append(value)
        }
        return result
    }

    /// RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups as `::`.
    package var description: String {
        let groups = (0..<8).map { UInt16(bytes[$0 * 2]) << 8 | UInt16(bytes[$0 * 2 + 1]) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}

extension String {
    /// Splits at every `::`, keeping empty pieces.
    fileprivate func components(separatedByDoubleColon _: Void) -> [Substring] {
        var pieces: [Substring] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            let next = self.index(after: index)
            if self[index] == ":", next < endIndex, self[next] == ":" {
                pieces.append(self[start..<index])
                start = self.index(after: next)
                index = start
            } else {
                index = next
            }
        }
        pieces.append(self[start...])
        return pieces
    }
}

/// An IPv4 address as four bytes in network order.
package struct IPv4Address: Sendable, Hashable, CustomStringConvertible {
    /// The address bytes, most significant first.
    package let bytes: [UInt8]

    /// Creates an address from four bytes.
    package init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self.bytes = [a, b, c, d]
    }

    /// Creates an address from exactly four bytes.
    package init?(bytes: [UInt8]) {
        guard bytes.count == 4 else { return nil }
        self.bytes = bytes
    }

    /// Parses dotted-quad notation (`"192.0.2.1"`); leading zeros and other forms are rejected.
    package init?(_ text: String) {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3,
                part.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                part.count == 1 || part.first != UInt8(ascii: "0")
            else { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return nil }
            bytes.append(UInt8(value))
        }
        self.bytes = bytes
    }

    /// Dotted-quad notation.
    package var description: String { bytes.map(String.init).joined(separator: ".") }
}

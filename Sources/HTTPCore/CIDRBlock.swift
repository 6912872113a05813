/// A block of IP addresses in CIDR notation (RFC 4632 §3.1): `10.0.0.0/8`, `2001:db8::/32`, or one address.
///
/// An IPv4 block only contains IPv4 addresses (it is kept as a block of IPv4-mapped addresses, see
/// ``ClientAddress``); an IPv6 block contains the IPv6 addresses under its prefix.
///
/// ```swift
/// let block = CIDRBlock("10.0.0.0/8")
/// block?.contains(ClientAddress("10.1.2.3")!)   // true
/// ```
package struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block.
    package let address: ClientAddress
    /// The prefix length in the address's own family: 0…32 for IPv4, 0…128 for IPv6.
    package let prefixLength: Int

    /// Creates the block of the first `prefixLength` bits of `address`.
    ///
    /// - Returns: nil when `prefixLength` is out of range for the family, or `address` has bits set after it
    ///   (`10.0.0.1/8` is more likely a typo than a wish for the whole /8).
    package init?(address: ClientAddress, prefixLength: Int) {
        let maximum = address.isIPv4 ? 32 : 128
        guard (0...maximum).contains(prefixLength) else { return nil }
        let bits = Self.bits(prefixLength, isIPv4: address.isIPv4)
        guard address.masked(toPrefixLength: bits) == address else { return nil }
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Parses `address/length` or a single address (then /32 or /128); nil when it is not valid CIDR notation.
    ///
    /// IPv4 blocks are written as dotted quads: an IPv4-mapped IPv6 block (`::ffff:10.0.0.0/104`) is refused
    /// rather than guessed at, since its length would count bits of a form this type does not show.
    package init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = ClientAddress(parts[0]), !(address.isIPv4 && parts[0].contains(":")) else { return nil }
        guard parts.count == 2 else {
            self.init(address: address, prefixLength: address.isIPv4 ? 32 : 128)
            return
        }
        let length = parts[1]
        guard !length.isEmpty, length.count <= 3, length.utf8.allSatisfy(HTTPSyntax.isDigit),
            length.count == 1 || !length.hasPrefix("0"), let prefixLength = Int(length)
        else { return nil }
        self.init(address: address, prefixLength: prefixLength)
    }

    /// Whether `candidate` lies in the block.
    package func contains(_ candidate: ClientAddress) -> Bool {
        candidate.masked(toPrefixLength: Self.bits(prefixLength, isIPv4: address.isIPv4)) == address
    }

    /// `10.0.0.0/8`, `2001:db8::/32`.
    package var description: String {
        "\(address)/\(prefixLength)"
    }

    /// The prefix length over the 128-bit form: an IPv4 length counts after the 96 bits of `::ffff:0:0/96`.
    private static func bits(_ prefixLength: Int, isIPv4: Bool) -> Int {
        isIPv4 ? 96 + prefixLength : prefixLength
    }
}

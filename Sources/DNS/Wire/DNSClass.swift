/// A resource record CLASS (RFC 1035 §3.2.4). In an OPT record this field holds the UDP payload size.
package struct DNSClass: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The 16-bit code.
    package let rawValue: UInt16

    /// Wraps a code.
    package init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The Internet class.
    package static let internet = DNSClass(rawValue: 1)
    /// The Chaos class.
    package static let chaos = DNSClass(rawValue: 3)
    /// Any class, a QCLASS only (RFC 1035 §3.2.5 `*`).
    package static let any = DNSClass(rawValue: 255)

    /// `IN`, `CH`, `ANY` or `CLASSnnn`.
    package var description: String {
        switch rawValue {
        case 1: "IN"
        case 3: "CH"
        case 255: "ANY"
        default: "CLASS\(rawValue)"
        }
    }
}

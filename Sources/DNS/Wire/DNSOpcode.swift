/// A header OPCODE (RFC 1035 §4.1.1).
package struct DNSOpcode: RawRepresentable, Sendable, Hashable {
    /// The 4-bit code.
    package let rawValue: UInt8

    /// Wraps a code; only the low four bits are kept.
    package init(rawValue: UInt8) {
        self.rawValue = rawValue & 0x0F
    }

    /// A standard query.
    package static let query = DNSOpcode(rawValue: 0)
    /// A NOTIFY message (RFC 1996).
    package static let notify = DNSOpcode(rawValue: 4)
    /// A dynamic update (RFC 2136).
    package static let update = DNSOpcode(rawValue: 5)
}

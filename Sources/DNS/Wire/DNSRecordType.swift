/// A resource record TYPE (RFC 1035 §3.2.2 and later registrations).
package struct DNSRecordType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The 16-bit code.
    package let rawValue: UInt16

    /// Wraps a code.
    package init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// IPv4 address (RFC 1035).
    package static let a = DNSRecordType(rawValue: 1)
    /// Authoritative name server (RFC 1035).
    package static let ns = DNSRecordType(rawValue: 2)
    /// Canonical name (RFC 1035).
    package static let cname = DNSRecordType(rawValue: 5)
    /// Start of authority (RFC 1035).
    package static let soa = DNSRecordType(rawValue: 6)
    /// Domain name pointer (RFC 1035).
    package static let ptr = DNSRecordType(rawValue: 12)
    /// Mail exchange (RFC 1035).
    package static let mx = DNSRecordType(rawValue: 15)
    /// Text strings (RFC 1035).
    package static let txt = DNSRecordType(rawValue: 16)
    /// IPv6 address (RFC 3596).
    package static let aaaa = DNSRecordType(rawValue: 28)
    /// Service location (RFC 2782).
    package static let srv = DNSRecordType(rawValue: 33)
    /// DANE certificate association (RFC 6698); only looked up, its data stays opaque.
    package static let tlsa = DNSRecordType(rawValue: 52)
    /// EDNS(0) pseudo-record (RFC 6891).
    package static let opt = DNSRecordType(rawValue: 41)
    /// Certification authority authorization (RFC 8659).
    package static let caa = DNSRecordType(rawValue: 257)
    /// Incremental zone transfer, a QTYPE only (RFC 1995).
    package static let ixfr = DNSRecordType(rawValue: 251)
    /// Full zone transfer, a QTYPE only (RFC 5936).
    package static let axfr = DNSRecordType(rawValue: 252)
    /// All records, a QTYPE only (RFC 1035 §3.2.3 `*`; RFC 8482 lets servers answer with a subset).
    package static let any = DNSRecordType(rawValue: 255)

    private static let mnemonics: [UInt16: String] = [
        1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV", 41: "OPT",
        52: "TLSA", 251: "IXFR", 252: "AXFR", 255: "ANY", 257: "CAA",
    ]

    /// The mnemonic (`"MX"`) or `TYPEnnn` for unnamed codes (RFC 3597 §5).
    package var description: String { Self.mnemonics[rawValue] ?? "TYPE\(rawValue)" }

    /// Looks up a mnemonic such as `"txt"` or `"TYPE65"`, case-insensitively.
    package init?(mnemonic: String) {
        let upper = mnemonic.uppercased()
        if let code = Self.mnemonics.first(where: { $0.value == upper })?.key {
            self.init(rawValue: code)
        } else if upper.hasPrefix("TYPE"), let code = UInt16(upper.dropFirst(4)) {
            self.init(rawValue: code)
        } else {
            return nil
        }
    }
}

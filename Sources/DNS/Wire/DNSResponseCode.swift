/// A response code, 4 bits in the header extended to 12 by EDNS(0) (RFC 1035 §4.1.1, RFC 6891 §6.1.3).
package struct DNSResponseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The code.
    package let rawValue: UInt16

    /// Wraps a code.
    package init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// No error.
    package static let noError = DNSResponseCode(rawValue: 0)
    /// The server could not interpret the query (FORMERR).
    package static let formatError = DNSResponseCode(rawValue: 1)
    /// The server failed (SERVFAIL).
    package static let serverFailure = DNSResponseCode(rawValue: 2)
    /// The name does not exist (NXDOMAIN).
    package static let nameError = DNSResponseCode(rawValue: 3)
    /// The query kind is not implemented (NOTIMP).
    package static let notImplemented = DNSResponseCode(rawValue: 4)
    /// The server refuses to answer (REFUSED).
    package static let refused = DNSResponseCode(rawValue: 5)
    /// The server does not implement the requester's EDNS version (BADVERS, 12-bit; RFC 6891 §6.1.3).
    package static let badVersion = DNSResponseCode(rawValue: 16)

    /// The mnemonic (`"NXDOMAIN"`) or `RCODEnnn`.
    package var description: String {
        switch rawValue {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        case 16: "BADVERS"
        default: "RCODE\(rawValue)"
        }
    }
}

/// The typed RDATA of a resource record; types without a case here keep their raw bytes.
package enum DNSRecordData: Sendable, Hashable {
    /// An IPv4 address (A).
    case a(IPv4Address)
    /// An IPv6 address (AAAA).
    case aaaa(IPv6Address)
    /// A canonical name target (CNAME).
    case cname(DNSName)
    /// A name server (NS).
    case ns(DNSName)
    /// A mail exchange (MX).
    case mx(DNSMXRecord)
    /// Character-strings (TXT).
    case txt(DNSTXTRecord)
    /// A CA authorization (CAA).
    case caa(DNSCAARecord)
    /// A start of authority (SOA).
    case soa(DNSSOARecord)
    /// EDNS(0) options carried in an OPT pseudo-record.
    case opt([DNSEDNSOption])
    /// Any other type, RDATA kept verbatim (RFC 3597).
    case unknown([UInt8])
}

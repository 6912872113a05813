/// The EDNS(0) fields of an OPT pseudo-record (RFC 6891 §6.1).
package struct DNSEDNS: Sendable, Hashable {
    /// Largest UDP payload the sender can reassemble.
    package var udpPayloadSize: UInt16
    /// Upper eight bits of the response code.
    package var extendedRcode: UInt8
    /// EDNS version (0).
    package var version: UInt8
    /// DO: the sender accepts DNSSEC records.
    package var dnssecOK: Bool
    /// The options.
    package var options: [DNSEDNSOption]

    /// Reads the fields out of an OPT record.
    package init(record: DNSResourceRecord) {
        udpPayloadSize = record.recordClass.rawValue
        extendedRcode = UInt8(record.ttl >> 24)
        version = UInt8((record.ttl >> 16) & 0xFF)
        dnssecOK = record.ttl & 0x8000 != 0
        if case .opt(let options) = record.data {
            self.options = options
        } else {
            self.options = []
        }
    }
}

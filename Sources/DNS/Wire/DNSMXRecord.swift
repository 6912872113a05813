/// MX record data (RFC 1035 §3.3.9).
package struct DNSMXRecord: Sendable, Hashable {
    /// Lower is preferred.
    package var preference: UInt16
    /// The mail host.
    package var exchange: DNSName

    /// Creates MX data.
    package init(preference: UInt16, exchange: DNSName) {
        self.preference = preference
        self.exchange = exchange
    }
}

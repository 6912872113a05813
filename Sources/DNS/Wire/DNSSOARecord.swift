/// SOA record data (RFC 1035 §3.3.13).
package struct DNSSOARecord: Sendable, Hashable {
    /// Primary name server.
    package var primaryServer: DNSName
    /// Mailbox of the responsible person, first label being the local part.
    package var responsibleMailbox: DNSName
    /// Zone serial.
    package var serial: UInt32
    /// Secondary refresh interval in seconds.
    package var refresh: UInt32
    /// Retry interval in seconds.
    package var retry: UInt32
    /// Expiry in seconds.
    package var expire: UInt32
    /// Negative caching TTL in seconds (RFC 2308 §4).
    package var minimum: UInt32

    /// Creates SOA data.
    package init(
        primaryServer: DNSName,
        responsibleMailbox: DNSName,
        serial: UInt32,
        refresh: UInt32,
        retry: UInt32,
        expire: UInt32,
        minimum: UInt32
    ) {
        self.primaryServer = primaryServer
        self.responsibleMailbox = responsibleMailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}

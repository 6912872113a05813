/// What the server's certificate must name when ``SMTPConnection`` starts TLS.
enum TLSPeerName: Sendable, Hashable {
    /// A DNS name: sent as SNI and matched by OpenSSL's host name check.
    case hostName(String)
    /// An IPv4 or IPv6 literal: matched against iPAddress entries; no SNI (RFC 6066 §3 forbids literals).
    case ipAddress(String)
    /// Verify the chain only; the name, if any, is sent as SNI and the caller matches names by its own rules
    /// (the probe applies RFC 8461 §4.1).
    case chainOnly(serverName: String?)
}

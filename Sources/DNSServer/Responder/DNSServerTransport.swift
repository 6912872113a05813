/// The transport a query arrived on, which sets the response size limit.
package enum DNSServerTransport: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// UDP: 512 bytes without EDNS (RFC 1035 §4.2.1), the negotiated EDNS payload size with it; larger answers are
    /// truncated (TC) so the client retries over TCP.
    case udp
    /// TCP: up to 65535 bytes, the most the two-byte length prefix can frame (RFC 1035 §4.2.2, RFC 7766 §8).
    case tcp

    /// `udp` or `tcp`, as used in metric labels.
    package var description: String {
        switch self {
        case .udp: "udp"
        case .tcp: "tcp"
        }
    }
}

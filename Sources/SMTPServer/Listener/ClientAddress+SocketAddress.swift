import HTTPCore
import SystemIO

extension ClientAddress {
    /// The IP address of a socket address (the port and any IPv6 scope dropped), without formatting it as text.
    init(_ address: SocketAddress) {
        let (high, low) = address.numericAddress
        switch address.family {
        case .ipv4: self.init(ipv4: UInt32(truncatingIfNeeded: low))
        case .ipv6: self.init(high: high, low: low)
        }
    }
}

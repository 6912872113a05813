import HTTPCore
import SystemIO

extension SocketAddress {
    /// The special-purpose block of the address (the port and any IPv6 scope ignored), or nil when it is
    /// globally reachable.
    var specialPurposeBlock: SpecialPurposeBlock? {
        let (high, low) = numericAddress
        let address: ClientAddress
        switch family {
        case .ipv4: address = ClientAddress(ipv4: UInt32(truncatingIfNeeded: low))
        case .ipv6: address = ClientAddress(high: high, low: low)
        }
        return address.specialPurposeBlock
    }
}

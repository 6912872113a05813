/// Why a socket address string was rejected.
package struct SocketAddressError: Error, Equatable, CustomStringConvertible {
    private enum Code: Equatable {
        case missingPort
        case invalidPort
        case invalidHost
        case unbracketedIPv6
    }

    private let code: Code

    /// No `:port` suffix.
    package static let missingPort = SocketAddressError(code: .missingPort)
    /// The port is not a decimal number in 0...65535.
    package static let invalidPort = SocketAddressError(code: .invalidPort)
    /// The host is not a numeric IPv4 or IPv6 literal.
    package static let invalidHost = SocketAddressError(code: .invalidHost)
    /// An IPv6 literal with a port must be written in brackets: `[::1]:443`.
    package static let unbracketedIPv6 = SocketAddressError(code: .unbracketedIPv6)

    /// A log-safe explanation.
    package var description: String {
        switch code {
        case .missingPort: return "socket address has no port"
        case .invalidPort: return "socket address port is not a number in 0...65535"
        case .invalidHost: return "socket address host is not an IP literal"
        case .unbracketedIPv6: return "IPv6 socket address must be written as [address]:port"
        }
    }
}

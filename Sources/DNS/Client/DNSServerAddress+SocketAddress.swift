import SystemIO

// MARK: - SystemIO socket address

extension DNSServerAddress {
    /// The same address and port as a SystemIO ``SocketAddress``, for connecting sockets.
    var socketAddress: SocketAddress {
        let bytes =
            switch host {
            case .v4(let address): address.bytes
            case .v6(let address): address.bytes
            }
        // Force-unwrap invariant: IPv4Address always holds 4 bytes and IPv6Address 16 (their initialisers check),
        // exactly the lengths SocketAddress(addressBytes:port:) accepts.
        return SocketAddress(addressBytes: bytes, port: port)!
    }
}

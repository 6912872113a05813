import HTTPCore

/// Who is at the other end of an accepted connection, as the acceptor found out before any byte was read.
///
/// ```swift
/// let peer = ConnectionPeer(text: "203.0.113.7", address: address, isTrustedProxy: false, holdsAddressSlot: true)
/// ```
struct ConnectionPeer: Sendable {
    /// The TCP peer's address as text: ``HTTPRequest/remoteAddress``.
    let text: String
    /// The TCP peer's address.
    let address: ClientAddress
    /// Whether the peer is a trusted reverse proxy, whose forwarding headers name the client of each request.
    let isTrustedProxy: Bool
    /// Whether the connection holds a slot in the server's ``ConnectionsPerAddress``, to release when it closes.
    let holdsAddressSlot: Bool

    /// A peer that is neither a trusted proxy nor counted per address (tests, servers without a per-address cap).
    init(text: String, address: ClientAddress, isTrustedProxy: Bool = false, holdsAddressSlot: Bool = false) {
        self.text = text
        self.address = address
        self.isTrustedProxy = isTrustedProxy
        self.holdsAddressSlot = holdsAddressSlot
    }
}

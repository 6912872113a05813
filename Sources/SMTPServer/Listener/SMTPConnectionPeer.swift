import HTTPCore

/// Who is at the other end of an accepted connection, as the acceptor found out before the greeting.
///
/// ```swift
/// let peer = SMTPConnectionPeer(address: ClientAddress(socketAddress), holdsAddressSlot: true)
/// ```
struct SMTPConnectionPeer: Sendable {
    /// The TCP peer's address.
    let address: ClientAddress
    /// Whether the connection holds a slot in the listener's ``ConnectionsPerAddress``, to release when it closes.
    let holdsAddressSlot: Bool

    /// The address as text, for logs.
    var text: String { address.description }
}

/// One hop of a request's forwarding chain, as a proxy recorded it in `Forwarded` (RFC 7239) or
/// `X-Forwarded-For`: the client that proxy saw.
///
/// The chain runs from the original client (first) to the hop the last proxy saw (last). Only the entries
/// appended by trusted proxies can be believed; ``TrustedProxies`` decides how far to walk.
///
/// ```swift
/// ForwardedNode.chain(forwarded: [#"for=192.0.2.43, for="[2001:db8:cafe::17]:4711""#])
/// // [.address(192.0.2.43), .address(2001:db8:cafe::17)]
/// ForwardedNode.chain(xForwardedFor: ["203.0.113.7, 10.0.0.2"])
/// ```
package enum ForwardedNode: Sendable, Hashable {
    /// The hop's client address (the port, if any, dropped).
    case address(ClientAddress)
    /// A hop that names no usable address: `unknown`, an obfuscated identifier (`_hidden`), an element without
    /// `for=`, or an `X-Forwarded-For` entry that is not an address.
    case unidentified
}

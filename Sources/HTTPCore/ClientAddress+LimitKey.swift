// MARK: - Keys for per-client limits

extension ClientAddress {
    /// The prefix one client is assumed to control, which per-client limits count together: an IPv4 address on its
    /// own, an IPv6 address by its /64.
    ///
    /// A /64 is the smallest subnet an IPv6 site gets (RFC 6177 §2, RFC 7421): one host can use any of its 2^64
    /// addresses, so counting single IPv6 addresses would let one client open a fresh bucket per connection.
    package var limitPrefix: ClientAddress {
        isIPv4 ? self : masked(toPrefixLength: 64)
    }

    /// ``limitPrefix`` as text, for rate-limit buckets: `203.0.113.9`, or `2001:db8:1:2::/64`.
    package var limitKey: String {
        isIPv4 ? description : "\(limitPrefix)/64"
    }

    /// The limit key of an address given as text (``HTTPRequest/clientAddress``): see ``limitKey``. Text that is
    /// not an IP literal is returned unchanged, so a request built without an address (`""`) keeps one bucket.
    ///
    /// ```swift
    /// let bucket = "login-ip:" + ClientAddress.limitKey(request.clientAddress)
    /// ```
    package static func limitKey(_ address: String) -> String {
        ClientAddress(address)?.limitKey ?? address
    }
}

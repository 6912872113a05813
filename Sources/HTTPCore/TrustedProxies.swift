/// The reverse proxies whose forwarding headers are believed, and how a request's client address is found
/// through them.
///
/// Behind a proxy every connection comes from the proxy, so the TCP peer says nothing about the client. Only when
/// the peer lies in one of ``blocks`` are `Forwarded` (RFC 7239) and `X-Forwarded-For` read, and then each chain
/// is walked from the right, past the trusted proxies' own entries, to the first hop that is not a trusted proxy:
/// entries to its left were written by the client and could say anything. The peer itself is the answer when
///
/// - the peer is not a trusted proxy (a direct client's headers are never read),
/// - neither header is present, or one is malformed (``ForwardedNode/chain(forwarded:)`` returns nil),
/// - the walk meets a hop it cannot identify (`unknown`, an obfuscated node, garbage) before an untrusted one,
/// - both headers are present and name different clients: a proxy appends to one of them, and a client can
///   forge the other in full, so the disagreement means one of them is forged and neither can be chosen.
///
/// When every hop is a trusted proxy, the leftmost one is the client.
///
/// ```swift
/// let proxies = TrustedProxies([CIDRBlock("10.0.0.0/8")!])
/// var fields = HTTPFields()
/// fields.append(.xForwardedFor, "198.51.100.1, 203.0.113.7, 10.0.0.3")
/// proxies.clientAddress(peer: ClientAddress("10.0.0.2")!, fields: fields)   // 203.0.113.7
/// ```
package struct TrustedProxies: Sendable, Hashable {
    /// The address blocks of the trusted proxies.
    package var blocks: [CIDRBlock]

    /// Trusts the proxies in `blocks`; none by default, so forwarding headers are ignored.
    package init(_ blocks: [CIDRBlock] = []) {
        self.blocks = blocks
    }

    /// Whether no proxy is trusted.
    package var isEmpty: Bool { blocks.isEmpty }

    /// Whether `address` belongs to a trusted proxy.
    package func contains(_ address: ClientAddress) -> Bool {
        for block in blocks where block.contains(address) { return true }
        return false
    }

    /// The client a request came from: the TCP `peer`, or the client its trusted proxies forwarded for.
    package func clientAddress(peer: ClientAddress, fields: HTTPFields) -> ClientAddress {
        guard contains(peer) else { return peer }
        let forwardedLines = fields.values(for: .forwarded)
        let xForwardedForLines = fields.values(for: .xForwardedFor)
        var fromForwarded: ClientAddress?
        if !forwardedLines.isEmpty {
            guard let chain = ForwardedNode.chain(forwarded: forwardedLines), let client = client(in: chain) else {
                return peer
            }
            fromForwarded = client
        }
        guard !xForwardedForLines.isEmpty else { return fromForwarded ?? peer }
        guard let client = client(in: ForwardedNode.chain(xForwardedFor: xForwardedForLines)) else { return peer }
        if let fromForwarded, fromForwarded != client { return peer }
        return client
    }

    /// The rightmost hop that is not a trusted proxy, the leftmost hop when all are, or nil when the walk meets an
    /// unidentified hop first or the chain is empty.
    package func client(in chain: [ForwardedNode]) -> ClientAddress? {
        for node in chain.reversed() {
            guard case .address(let address) = node else { return nil }
            if !contains(address) { return address }
        }
        guard case .address(let leftmost)? = chain.first else { return nil }
        return leftmost
    }
}

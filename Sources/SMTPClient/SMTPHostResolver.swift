package import DNS
package import SystemIO

/// Turns a host name (an MX target, a relay) into the addresses to connect to, in order; injectable, so the
/// platform uses its own DNS client and tests use loopback.
///
/// The returned addresses' ports are ignored: the client connects to its configured port.
///
/// ```swift
/// let resolver = SMTPHostResolver.dns(DNSClient(resolvers: [try DNSServerAddress("127.0.0.1:5353")]))
/// let loopback = SMTPHostResolver { _ in [SocketAddress(addressBytes: [127, 0, 0, 1], port: 0)].compactMap { $0 } }
/// ```
package struct SMTPHostResolver: Sendable {
    private let resolve: @Sendable (String) throws(SMTPClientError) -> [SocketAddress]

    /// Wraps a closure; an empty result means the name has no addresses.
    package init(_ resolve: @escaping @Sendable (String) throws(SMTPClientError) -> [SocketAddress]) {
        self.resolve = resolve
    }

    /// The addresses for `host`, in the order to try them.
    /// - Throws: ``SMTPClientError/Code/resolutionFailed`` when the lookup failed (not when it found nothing).
    package func addresses(for host: String) throws(SMTPClientError) -> [SocketAddress] {
        try resolve(host)
    }

    /// A and then AAAA records through `client` (RFC 5321 §5.1 leaves the order to the client; IPv4 first is
    /// what `DNSClient.addresses` returns). An IP literal is used as it is, without a lookup.
    package static func dns(_ client: DNSClient) -> SMTPHostResolver {
        SMTPHostResolver { host throws(SMTPClientError) in
            if let literal = try? SocketAddress(ipAddress: host, port: 0) {
                return [literal]
            }
            let found: [IPAddress]
            do throws(DNSError) {
                found = try client.addresses(host)
            } catch {
                throw SMTPClientError(
                    .resolutionFailed,
                    "address lookup for \(host) failed: \(error.message)",
                    step: .resolve,
                    underlying: error
                )
            }
            return found.compactMap { address in
                switch address {
                case .v4(let v4): SocketAddress(addressBytes: v4.bytes, port: 0)
                case .v6(let v6): SocketAddress(addressBytes: v6.bytes, port: 0)
                }
            }
        }
    }

    /// ``dns(_:)`` with the name servers of `/etc/resolv.conf`.
    package static var system: SMTPHostResolver {
        dns(DNSClient(resolvers: DNSClient.systemResolvers()))
    }
}

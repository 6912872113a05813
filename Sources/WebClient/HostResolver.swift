package import SystemIO

/// Turns a host name into addresses to connect to; injectable so tests and the platform can use their own DNS.
///
/// The returned addresses' ports are ignored: the client connects to the URL's port.
///
/// ```swift
/// let loopback = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
/// let resolver = HostResolver { name in name == "mta-sts.example.test" ? [loopback] : [] }
/// ```
package struct HostResolver: Sendable {
    private let resolve: @Sendable (String) -> [SocketAddress]

    /// Wraps a closure; an empty result means the name does not resolve.
    package init(_ resolve: @escaping @Sendable (String) -> [SocketAddress]) {
        self.resolve = resolve
    }

    /// The addresses for `hostName`, in the order to try them.
    package func addresses(for hostName: String) -> [SocketAddress] {
        resolve(hostName)
    }

    /// The system resolver (`getaddrinfo`: `/etc/hosts`, then `/etc/resolv.conf`). Blocking, and not bounded
    /// by the request timeout.
    package static let system = HostResolver { name in
        SocketAddress.resolve(hostName: name, port: 0)
    }
}

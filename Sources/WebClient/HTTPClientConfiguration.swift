import HTTPCore
package import TLS

/// Settings of an ``HTTPClient``.
///
/// ```swift
/// var configuration = HTTPClientConfiguration()
/// configuration.trustRoots = .file("/etc/mtasts/acme-ca.pem")
/// configuration.requestTimeout = .seconds(15)
/// let client = try HTTPClient(configuration: configuration)
/// ```
package struct HTTPClientConfiguration: Sendable {
    /// Certificate authorities trusted for `https` URLs.
    package var trustRoots: TLSTrustRoots = .systemDefault
    /// Longest wait for one TCP connection attempt (also capped by what is left of ``requestTimeout``).
    package var connectTimeout: Duration = .seconds(10)
    /// Longest time for the whole exchange: connect, TLS handshake, sending, and reading the full response.
    /// Name resolution through ``HostResolver/system`` is not bounded by it.
    package var requestTimeout: Duration = .seconds(30)
    /// Largest accepted response body, after removing the chunked coding (1 MiB).
    package var maximumBodyBytes = 1 << 20
    /// Sent as `User-Agent` unless a request sets its own; empty sends none.
    package var userAgent = "mtasts"
    /// How host names become addresses.
    package var resolver = HostResolver.system
    /// Refuse to connect to an address that is not globally reachable (``SpecialPurposeBlock``: loopback,
    /// private, link-local, carrier-grade NAT, multicast, unspecified, reserved), for URLs a tenant chose.
    ///
    /// The check is made on the very addresses the client then connects to, after resolution, so a name that
    /// resolves (or is made to re-resolve) to an internal address cannot reach it; when any address of a name is
    /// refused, the request fails with ``HTTPClientError/Code/destinationRefused`` before any connection.
    package var publicAddressesOnly = false

    /// The defaults: system trust roots, 10 s connect, 30 s total, 1 MiB bodies.
    package init() {}

    /// The defaults with `trustRoots`.
    package init(trustRoots: TLSTrustRoots) {
        self.trustRoots = trustRoots
    }

    /// The response parser's limits for these settings: HTTPCore's defaults with ``maximumBodyBytes``.
    var responseLimits: HTTPParserLimits {
        HTTPParserLimits(bodyBytes: maximumBodyBytes)
    }
}

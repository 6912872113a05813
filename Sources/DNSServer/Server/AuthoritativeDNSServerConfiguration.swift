package import SystemIO

/// Where an ``AuthoritativeDNSServer`` listens and what it allows.
package struct AuthoritativeDNSServerConfiguration: Sendable {
    /// The zone served.
    package var zone: AuthoritativeZoneConfiguration
    /// Each address gets UDP and TCP on the same port (port 0: one free port chosen for both). List IPv4 and IPv6
    /// addresses separately; IPv6 sockets are IPv6-only. Prefer concrete addresses to wildcards on hosts with several
    /// addresses: a UDP reply leaves from the address the kernel's routing picks, which a client checks against the
    /// one it asked.
    package var listenAddresses: [SocketAddress]
    /// Response rate limiting of UDP answers.
    package var rateLimit: ResponseRateLimiter.Configuration
    /// Timeouts and sizes of each TCP connection.
    package var tcpLimits: DNSTCPConnectionLimits
    /// Open TCP connections allowed across all loops; more are closed right after accept.
    package var maximumTCPConnections: Int

    /// Creates a configuration.
    package init(
        zone: AuthoritativeZoneConfiguration,
        listenAddresses: [SocketAddress],
        rateLimit: ResponseRateLimiter.Configuration = .init(),
        tcpLimits: DNSTCPConnectionLimits = .init(),
        maximumTCPConnections: Int = 256
    ) {
        self.zone = zone
        self.listenAddresses = listenAddresses
        self.rateLimit = rateLimit
        self.tcpLimits = tcpLimits
        self.maximumTCPConnections = maximumTCPConnections
    }

    /// Checks every part.
    /// - Throws: ``DNSServerError/Code-swift.struct/invalidConfiguration`` naming the first problem.
    package func validate() throws(DNSServerError) {
        try zone.validate()
        try rateLimit.validate()
        try tcpLimits.validate()
        guard !listenAddresses.isEmpty else {
            throw DNSServerError(.invalidConfiguration, "the DNS server needs at least one listen address")
        }
        guard maximumTCPConnections >= 1 else {
            throw DNSServerError(.invalidConfiguration, "maximumTCPConnections must be at least 1")
        }
    }
}

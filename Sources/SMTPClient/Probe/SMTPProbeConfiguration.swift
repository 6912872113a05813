package import TLS

/// Settings of an ``SMTPProbe``.
///
/// ```swift
/// var configuration = SMTPProbeConfiguration(localHostName: "checker.mtasts.example")
/// configuration.port = 2525                                   // MTASTS_CHECK_SMTP_PORT
/// configuration.trustRoots = .file("/etc/mtasts/roots.pem")   // MTASTS_CHECK_CA_BUNDLE
/// configuration.resolver = .dns(dnsClient)                    // MTASTS_DNS_RESOLVERS
/// configuration.timeouts.total = .seconds(30)
/// ```
package struct SMTPProbeConfiguration: Sendable {
    /// The name sent with EHLO: a domain name or an address literal of the probing host (RFC 5321 §4.1.4).
    package var localHostName: String
    /// The SMTP port of MX hosts (25); tests use loopback ports.
    package var port: UInt16 = 25
    /// The roots certificate chains must lead to (RFC 8461 §4.1: "a trusted Certification Authority").
    package var trustRoots: TLSTrustRoots = .systemDefault
    /// How MX host names become addresses (A, then AAAA, through the DNS client).
    package var resolver: SMTPHostResolver = .system
    /// Per-step limits and the budget for the whole probe of one host, over all its addresses.
    package var timeouts: SMTPTimeouts
    /// Caps on each reply.
    package var replyLimits = SMTPReplyLimits.default

    /// The defaults, with `localHostName` for EHLO: 10 s to connect, 20 s per reply and for the handshake,
    /// 60 s in total.
    package init(localHostName: String) {
        self.localHostName = localHostName
        var timeouts = SMTPTimeouts()
        timeouts.greeting = .seconds(20)
        timeouts.command = .seconds(20)
        timeouts.tlsHandshake = .seconds(20)
        timeouts.total = .seconds(60)
        self.timeouts = timeouts
    }
}

package import SystemIO
package import TLS

/// How an ``SMTPListener`` listens, what its sessions allow, and how many connections it holds.
///
/// ```swift
/// var configuration = SMTPListenerConfiguration(
///     address: try SocketAddress(ipAddress: "0.0.0.0", port: 25),
///     session: SMTPSessionConfiguration(hostname: "reports.mtasts.example"),
///     tls: context)   // offered with STARTTLS
/// configuration.maxConnectionsPerAddress = 4
/// ```
package struct SMTPListenerConfiguration: Sendable {
    /// Where to listen; port 0 picks a free port (see ``SMTPListener/localAddress``).
    package var address: SocketAddress
    /// The host name, limits and timeouts of every session.
    package var session: SMTPSessionConfiguration
    /// The server context STARTTLS uses (its ``ServerNameResolver`` may pick a certificate by SNI, and must then
    /// know the name senders use: the MX host); nil offers no STARTTLS. SMTP has no ALPN: a context that offers
    /// `http/1.1` is harmless (no overlap, no ALPN), one with `alpnProtocols = []` is cleaner.
    package var tls: TLSContext?
    /// How long a client may take to finish the TLS handshake after STARTTLS.
    package var handshakeTimeout: Duration
    /// How long replies may wait for the client to read them (from the last progress) before the connection is
    /// closed without another reply.
    package var sendTimeout: Duration
    /// Connections beyond this number get `421 4.7.0` and are closed right after accept.
    package var maxConnections: Int
    /// Connections from one client (an IPv4 address, an IPv6 /64) beyond this number get `421 4.7.0` and are closed
    /// right after accept; nil for no such cap.
    package var maxConnectionsPerAddress: Int?
    /// How long the listener pauses when `accept` keeps failing (out of descriptors or memory).
    package var acceptBackoff: AcceptBackoffStateMachine.Configuration

    /// Creates a configuration.
    ///
    /// The defaults: no TLS, a 10 s handshake, a 30 s send timeout, 100 connections (each may hold up to
    /// ``SMTPSessionConfiguration/maximumMessageBytes`` in memory while it receives a message) and 10 per client.
    package init(
        address: SocketAddress,
        session: SMTPSessionConfiguration,
        tls: TLSContext? = nil,
        handshakeTimeout: Duration = .seconds(10),
        sendTimeout: Duration = .seconds(30),
        maxConnections: Int = 100,
        maxConnectionsPerAddress: Int? = 10,
        acceptBackoff: AcceptBackoffStateMachine.Configuration = .init()
    ) {
        self.address = address
        self.session = session
        self.tls = tls
        self.handshakeTimeout = handshakeTimeout
        self.sendTimeout = sendTimeout
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.acceptBackoff = acceptBackoff
    }
}

package import HTTPCore
package import Logging
package import SystemIO
package import TLS

/// How an ``HTTPServer`` listens, how much it accepts and how long it waits.
package struct HTTPServerConfiguration: Sendable {
    /// Where to listen; port 0 picks a free port (see ``HTTPServer/localAddress``).
    package var address: SocketAddress
    /// The TLS context (its SNI resolver picks per-host certificates); nil serves plain HTTP.
    package var tls: TLSContext?
    package var limits: HTTPParserLimits
    package var timeouts: HTTPConnectionStateMachine.Configuration
    /// How long a client may take to finish the TLS handshake.
    package var handshakeTimeout: Duration
    /// Connections beyond this number are closed right after accept.
    package var maxConnections: Int
    /// Connections from one client (an IPv4 address, an IPv6 /64) beyond this number are closed right after
    /// accept, before any TLS; nil for no such cap. Trusted proxies are exempt: they carry many clients.
    package var maxConnectionsPerAddress: Int?
    /// The reverse proxies whose `Forwarded`/`X-Forwarded-For` give ``HTTPRequest/clientAddress``; none by default.
    package var trustedProxies: TrustedProxies
    /// How long the listener pauses when `accept` keeps failing (out of descriptors or memory).
    package var acceptBackoff: AcceptBackoffStateMachine.Configuration
    /// The `Server` header value, or nil for none.
    package var serverName: String?
    /// The answer when ``ResponderExecution/pool(_:)``'s queue is full (``BlockingPool/maximumQueued``): at once,
    /// rather than after the work ahead of it.
    package var overloadedResponse: HTTPResponse
    /// Server names whose connections go to another responder with other limits (TLS listeners only).
    package var virtualHost: HTTPVirtualHost?

    package init(
        address: SocketAddress,
        tls: TLSContext? = nil,
        limits: HTTPParserLimits = HTTPParserLimits(),
        timeouts: HTTPConnectionStateMachine.Configuration = .init(),
        handshakeTimeout: Duration = .seconds(10),
        maxConnections: Int = 10_000,
        maxConnectionsPerAddress: Int? = nil,
        trustedProxies: TrustedProxies = TrustedProxies(),
        acceptBackoff: AcceptBackoffStateMachine.Configuration = .init(),
        serverName: String? = nil,
        overloadedResponse: HTTPResponse = HTTPResponse(
            status: .serviceUnavailable,
            fields: [.retryAfter: "1", .contentType: "text/plain; charset=utf-8"],
            body: Array("Too busy; retry in a second.\n".utf8)
        ),
        virtualHost: HTTPVirtualHost? = nil
    ) {
        self.virtualHost = virtualHost
        self.address = address
        self.tls = tls
        self.limits = limits
        self.timeouts = timeouts
        self.handshakeTimeout = handshakeTimeout
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.trustedProxies = trustedProxies
        self.acceptBackoff = acceptBackoff
        self.serverName = serverName
        self.overloadedResponse = overloadedResponse
    }
}

/// Where the server runs a responder.
package enum ResponderExecution: Sendable {
    /// On the event loop thread: for responders that only read memory (the edge).
    case inline
    /// On a blocking pool, with the result posted back to the loop: for responders that touch the database. When
    /// the pool's queue is full the request gets ``HTTPServerConfiguration/overloadedResponse``.
    case pool(BlockingPool)
}

/// A server's access log. Each loop formats its lines straight into a shard of `buffer` of its own (no lock
/// shared between loops, no string built per line), and the buffer writes them in batches.
///
/// ```swift
/// let buffer = LogBuffer()
/// let log = AccessLog(buffer: buffer) { entry, line in line.append(contentsOf: "\(entry.status)\n".utf8) }
/// let server = HTTPServer(configuration: configuration, group: group, responder: responder, accessLog: log)
/// ```
package struct AccessLog: Sendable {
    package let buffer: LogBuffer
    /// Appends the line of one finished request; called on the loop that served it.
    package let format: @Sendable (AccessLogEntry, inout [UInt8]) -> Void

    package init(buffer: LogBuffer, format: @escaping @Sendable (AccessLogEntry, inout [UInt8]) -> Void) {
        self.buffer = buffer
        self.format = format
    }
}

/// One finished request, for the access log.
package struct AccessLogEntry: Sendable {
    package let host: String
    package let method: String
    package let path: Substring
    package let status: Int
    package let bytes: Int
    package let microseconds: Int
    package let tlsVersion: String?
    package let clientAddress: String
}

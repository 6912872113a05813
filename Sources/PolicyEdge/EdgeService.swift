package import Crypto
package import Foundation
package import HTTPCore
package import Logging
package import SnapshotSync
import Store
package import SystemIO
package import TLS
package import WebServer

/// The policy edge: HTTPS policies, HTTP ACME challenges and an admin `/metrics` listener, all answered
/// from an in-memory snapshot that a ``ChangeFollower`` keeps current.
///
/// ```swift
/// let edge = EdgeService(configuration: configuration, source: try StoreSnapshotSource(connectionString: url),
///                        keyring: keyring, group: group, logger: logger)
/// try edge.start()
/// ```
package final class EdgeService: Sendable {
    package struct Configuration: Sendable {
        package var httpsAddress: SocketAddress
        package var httpAddress: SocketAddress
        package var adminAddress: SocketAddress?
        package var snapshotFile: String?
        package var accessLog: Bool
        package var follower: ChangeFollowerStateMachine.Configuration
        package var maxConnections: Int
        /// Connections one client (an IPv4 address, an IPv6 /64) may hold on each listener, refused at accept
        /// before TLS beyond; nil for no such cap.
        package var maxConnectionsPerAddress: Int?
        /// Proxies and load balancers in front of the edge: exempt from the per-address cap, and their forwarding
        /// headers name the client in the access log.
        package var trustedProxies: TrustedProxies
        /// How often TLS session-ticket keys rotate (the previous key stays valid for one more period).
        package var ticketKeyRotation: Duration
        /// Another host the HTTPS listener answers for (the TLS-RPT intake's reports host): its certificate comes
        /// from `resolver`, its connections go to the virtual host's responder and pool.
        package var extraHost: (virtualHost: HTTPVirtualHost, resolver: any ServerNameResolver)?
        /// `/readyz` fails when the snapshot has not been confirmed against the database for this long.
        package var maximumStaleness: TimeInterval

        package init(
            httpsAddress: SocketAddress,
            httpAddress: SocketAddress,
            adminAddress: SocketAddress? = nil,
            snapshotFile: String? = nil,
            accessLog: Bool = true,
            follower: ChangeFollowerStateMachine.Configuration = .init(),
            maxConnections: Int = 20_000,
            maxConnectionsPerAddress: Int? = 256,
            trustedProxies: TrustedProxies = TrustedProxies(),
            ticketKeyRotation: Duration = .seconds(12 * 3600),
            extraHost: (virtualHost: HTTPVirtualHost, resolver: any ServerNameResolver)? = nil,
            maximumStaleness: TimeInterval = 900
        ) {
            self.maximumStaleness = maximumStaleness
            self.extraHost = extraHost
            self.ticketKeyRotation = ticketKeyRotation
            self.httpsAddress = httpsAddress
            self.httpAddress = httpAddress
            self.adminAddress = adminAddress
            self.snapshotFile = snapshotFile
            self.accessLog = accessLog
            self.follower = follower
            self.maxConnections = maxConnections
            self.maxConnectionsPerAddress = maxConnectionsPerAddress
            self.trustedProxies = trustedProxies
        }
    }

    package let holder: EdgeSnapshotHolder
    private let keyAudit: EdgeKeyAudit
    private let follower: any SnapshotFollowing
    private let heartbeat: EdgeHeartbeat?
    private let https: HTTPServer
    private let http: HTTPServer
    private let admin: HTTPServer?
    private let resolver: SnapshotCertificateResolver
    private let tlsContext: TLSContext
    private let logger: Logger
    private let ticketKeyRotation: Duration
    private let rotationStop = DispatchSemaphore(value: 0)
    /// The access log's lines, written in batches (nil with the access log off).
    private let accessLogBuffer: LogBuffer?

    /// - Parameters:
    ///   - source: where snapshots come from (`StoreSnapshotSource` in production).
    ///   - heartbeat: records the change-log position this edge has applied (``EdgeHeartbeat``), so the DNS
    ///     role announces a policy id only once every edge serves it; nil when no DNS role relies on it.
    package init<Source: SnapshotSource>(
        configuration: Configuration,
        source: Source,
        keyring: Keyring,
        group: EventLoopGroup,
        heartbeat: (@Sendable (Int64) throws -> Void)? = nil,
        logger: Logger
    ) throws where Source.Snapshot == EdgeSnapshot {
        self.logger = logger
        ticketKeyRotation = configuration.ticketKeyRotation
        let keyAudit = EdgeKeyAudit(keyring: keyring, logger: logger)
        self.keyAudit = keyAudit
        // Beside serving: neither start-up nor the change follower waits for a million decryptions.
        let auditWorker = LatestValueWorker<EdgeSnapshot>(label: "mtasts.edge.key-audit", work: keyAudit.inspect)
        holder = EdgeSnapshotHolder(didReplace: auditWorker.submit)
        var followerConfiguration = configuration.follower
        // TLS-RPT addresses live in the DNS zone, not in the edge.
        followerConfiguration.followedParts = [.policy, .certificate, .challenges]
        let follower = ChangeFollower(
            source: source,
            holder: holder,
            file: configuration.snapshotFile.map(SnapshotFile<EdgeSnapshot>.init(path:)),
            configuration: followerConfiguration,
            threadName: "edge-change-follower",
            logger: logger
        )
        self.follower = follower
        self.heartbeat = heartbeat.map { EdgeHeartbeat(follower: follower, record: $0, logger: logger) }
        resolver = SnapshotCertificateResolver(holder: holder, keyring: keyring)
        tlsContext = try TLSContext.makeServer(configuration: .server)
        if let extra = configuration.extraHost {
            tlsContext.setServerNameResolver(
                EitherServerNameResolver(
                    first: resolver,
                    second: extra.resolver,
                    secondNames: extra.virtualHost.serverNames
                )
            )
        } else {
            tlsContext.setServerNameResolver(resolver)
        }
        // The edge never needs a request body; small limits keep each connection cheap. The header timeout bounds
        // its requests; a body, should one come, must still arrive at 512 bytes/s after 5 s.
        let limits = HTTPParserLimits(requestLineBytes: 4096, headerBytes: 16_384, headerCount: 64, bodyBytes: 1024)
        let timeouts = HTTPConnectionStateMachine.Configuration(minimumBodyRate: 512)
        // One write(2) per batch of lines rather than per request, from a buffer per loop; written at least
        // every second and at stop.
        let log = configuration.accessLog ? Self.accessLog(logger.with(["log": "access"])) : nil
        accessLogBuffer = log?.buffer
        https = HTTPServer(
            configuration: HTTPServerConfiguration(
                address: configuration.httpsAddress,
                tls: tlsContext,
                limits: limits,
                timeouts: timeouts,
                maxConnections: configuration.maxConnections,
                maxConnectionsPerAddress: configuration.maxConnectionsPerAddress,
                trustedProxies: configuration.trustedProxies,
                virtualHost: configuration.extraHost?.virtualHost
            ),
            group: group,
            responder: PolicyResponder(holder: holder),
            accessLog: log,
            logger: logger.with(["listener": "https"])
        )
        http = HTTPServer(
            configuration: HTTPServerConfiguration(
                address: configuration.httpAddress,
                limits: limits,
                timeouts: timeouts,
                maxConnections: configuration.maxConnections,
                maxConnectionsPerAddress: configuration.maxConnectionsPerAddress,
                trustedProxies: configuration.trustedProxies
            ),
            group: group,
            responder: ChallengeResponder(holder: holder),
            accessLog: log,
            logger: logger.with(["listener": "http"])
        )
        if let adminAddress = configuration.adminAddress {
            let servers = [(listener: "https", metrics: https.metrics), (listener: "http", metrics: http.metrics)]
            let metrics = EdgeMetrics(
                holder: holder,
                servers: servers,
                resolver: resolver,
                keyAudit: keyAudit,
                replication: { source.replication }
            )
            let holder = holder
            let staleness = configuration.maximumStaleness
            admin = HTTPServer(
                configuration: HTTPServerConfiguration(address: adminAddress, limits: limits, maxConnections: 64),
                group: group,
                responder: AdminResponder(
                    readiness: { holder.readinessProblems(maximumStaleness: staleness) },
                    metrics: metrics.render
                )
            )
        } else {
            admin = nil
        }
    }

    /// Loads the first snapshot, starts following changes and opens the listeners.
    package func start() throws {
        follower.loadInitialSnapshot()
        follower.start()
        accessLogBuffer?.start()
        try https.start()
        try http.start()
        try admin?.start()
        startTicketKeyRotation()
        heartbeat?.start()
        logger.info(
            "edge listening",
            [
                "https": https.localAddress?.description ?? "-", "http": http.localAddress?.description ?? "-",
                "admin": admin?.localAddress?.description ?? "-",
            ]
        )
    }

    /// Stops accepting, drains connections and stops following changes.
    package func stop(gracePeriod: Duration = .seconds(10)) {
        https.shutdown(gracePeriod: gracePeriod)
        http.shutdown(gracePeriod: gracePeriod)
        // Every connection is closed: the last access-log lines are written before the process exits.
        accessLogBuffer?.stop()
        admin?.shutdown(gracePeriod: .seconds(1))
        rotationStop.signal()
        heartbeat?.stop()
        follower.stop()
    }

    /// Rotates ticket keys every `ticketKeyRotation` on a small thread until ``stop(gracePeriod:)``.
    private func startTicketKeyRotation() {
        let seconds = Double(ticketKeyRotation.components.seconds)
        let thread = Thread { [self] in
            while rotationStop.wait(timeout: .now() + seconds) == .timedOut {
                do {
                    try rotateTicketKeys()
                    logger.info("rotated TLS session-ticket keys")
                } catch {
                    logger.error("cannot rotate TLS session-ticket keys", ["error": "\(error)"])
                }
            }
        }
        thread.name = "edge-ticket-rotation"
        thread.start()
    }

    /// Rotates the TLS session-ticket keys (the previous key is still accepted).
    package func rotateTicketKeys() throws {
        try tlsContext.rotateTicketKeys()
    }

    /// One line per request, laid out once (``LogLineTemplate``): the same line `access.info("request", …)`
    /// would write, without a dictionary, a sort or a string per request. Nil when `access`'s level hides it.
    private static func accessLog(_ access: Logger) -> AccessLog? {
        let template = LogLineTemplate(
            logger: access,
            level: .info,
            message: "request",
            keys: ["host", "method", "path", "status", "bytes", "us", "tls", "client"]
        )
        guard template.isEnabled else { return nil }
        return AccessLog(buffer: LogBuffer()) { entry, line in
            template.append(to: &line) { index, line in
                switch index {
                case 0: LogLineTemplate.appendValue(entry.host, to: &line)
                case 1: LogLineTemplate.appendValue(entry.method, to: &line)
                case 2: LogLineTemplate.appendValue(entry.path, to: &line)
                case 3: LogLineTemplate.appendValue(entry.status, to: &line)
                case 4: LogLineTemplate.appendValue(entry.bytes, to: &line)
                case 5: LogLineTemplate.appendValue(entry.microseconds, to: &line)
                case 6: LogLineTemplate.appendValue(entry.tlsVersion ?? "-", to: &line)
                default: LogLineTemplate.appendValue(entry.clientAddress, to: &line)
                }
            }
        }
    }

    package var httpsAddress: SocketAddress? { https.localAddress }
    package var httpAddress: SocketAddress? { http.localAddress }
    package var adminAddress: SocketAddress? { admin?.localAddress }
    package var httpsMetrics: HTTPServerMetrics { https.metrics }
}

import DNS
package import DNSServer
package import Foundation
package import Logging
package import SnapshotSync
import Store
package import SystemIO
import WebServer

/// The `dns` role: authoritative for the platform's own zone, answering `<label>._mta-sts.<zone>` and
/// `<label>._smtp._tls.<zone>` from an in-memory snapshot that a ``ChangeFollower`` keeps current exactly like
/// the edge's (change log + `LISTEN`, snapshot file for cold starts), never touching PostgreSQL on the query
/// path, and announcing a policy's id only once every live edge serves it (``ZoneAnnouncer``).
///
/// ```swift
/// let zone = try ZoneService(configuration: configuration, source: try StoreZoneSource(connectionString: url),
///                            group: group, logger: logger)
/// try zone.start()
/// ```
package final class ZoneService: Sendable {
    package struct Configuration: Sendable {
        package var server: AuthoritativeDNSServerConfiguration
        package var adminAddress: SocketAddress?
        package var snapshotFile: String?
        package var follower: ChangeFollowerStateMachine.Configuration
        /// Edges silent for longer than this are not waited for before an id is announced.
        package var edgeTimeout: TimeInterval
        /// `/readyz` fails when the zone's snapshot has not been confirmed against the database for this long.
        package var maximumStaleness: TimeInterval

        package init(
            server: AuthoritativeDNSServerConfiguration,
            adminAddress: SocketAddress? = nil,
            snapshotFile: String? = nil,
            follower: ChangeFollowerStateMachine.Configuration = .init(),
            edgeTimeout: TimeInterval = 30,
            maximumStaleness: TimeInterval = 900
        ) {
            self.maximumStaleness = maximumStaleness
            self.server = server
            self.adminAddress = adminAddress
            self.snapshotFile = snapshotFile
            self.follower = follower
            self.edgeTimeout = edgeTimeout
        }
    }

    package let holder = ZoneSnapshotHolder()
    private let follower: ChangeFollower<StoreZoneSource>
    private let announcer: ZoneAnnouncer
    private let server: AuthoritativeDNSServer
    private let admin: HTTPServer?
    private let logger: Logger

    package init(
        configuration: Configuration,
        source: StoreZoneSource,
        group: EventLoopGroup,
        logger: Logger
    ) throws {
        self.logger = logger
        var followerConfiguration = configuration.follower
        // Certificates and challenges do not change the zone.
        followerConfiguration.followedParts = [.policy, .tlsrpt]
        follower = ChangeFollower(
            source: source,
            holder: holder,
            file: configuration.snapshotFile.map(SnapshotFile<ZoneSnapshot>.init(path:)),
            configuration: followerConfiguration,
            threadName: "zone-change-follower",
            logger: logger
        )
        let server = try AuthoritativeDNSServer(
            configuration: configuration.server,
            content: ZoneContent(snapshot: ZoneSnapshot(), minimumApplied: nil),
            group: group,
            logger: logger
        )
        self.server = server
        let window = configuration.edgeTimeout
        let holder = self.holder
        let announcer = ZoneAnnouncer(
            holder: holder,
            logger: logger,
            readProgress: { try source.edgeProgress(window: window) },
            publish: { server.updateContent($0) }
        )
        self.announcer = announcer
        let metrics = ZoneMetrics(
            holder: holder,
            announcer: announcer,
            server: server,
            replication: { source.replication }
        )
        let staleness = configuration.maximumStaleness
        admin = configuration.adminAddress.map { address in
            HTTPServer(
                configuration: HTTPServerConfiguration(address: address, maxConnections: 64),
                group: group,
                responder: AdminResponder(
                    readiness: { holder.readinessProblems(maximumStaleness: staleness) },
                    metrics: metrics.render
                )
            )
        }
    }

    /// Loads the first snapshot (database, else file), announces it, then opens the listeners.
    package func start() throws {
        follower.loadInitialSnapshot()
        follower.start()
        announcer.start()
        try server.start()
        try admin?.start()
        logger.info(
            "dns listening",
            [
                "addresses": server.localAddresses.map(\.description).joined(separator: ","),
                "admin": admin?.localAddress?.description ?? "-",
                "domains": String(holder.current.hostCount),
            ]
        )
    }

    /// Stops answering, then stops following changes.
    package func stop() {
        server.shutdown(gracePeriod: .seconds(2))
        admin?.shutdown(gracePeriod: .seconds(1))
        announcer.stop()
        follower.stop()
    }

    /// Where the server answers (with the real ports when port 0 was asked for).
    package var localAddresses: [SocketAddress] { server.localAddresses }
    /// The admin listener's address.
    package var adminAddress: SocketAddress? { admin?.localAddress }
    /// What is announced now.
    package var announced: ZoneContent? { announcer.announced }
}

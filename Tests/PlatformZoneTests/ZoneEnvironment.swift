import DNS
import DNSServer
import Foundation
import Logging
import PlatformZone
import PolicyEdge
import SnapshotSync
import Store
import SystemIO
import TestSupport

/// PostgreSQL, Knot behind Unbound (with a stub zone for the platform's zone pointing at the responder), one
/// edge reporting its position, and the `dns` role answering `sts.platform.test`.
final class ZoneEnvironment: Sendable {
    static let apex = "sts.platform.test"

    let url: String
    let fixtures: ServedDomainFixtures
    let dns: DNSTestEnvironment
    let zonePort: UInt16
    let group: EventLoopGroup
    let edge: EdgeService
    let zone: ZoneService
    let snapshotFile: String
    private let directory: TemporaryDirectory

    /// - Parameters:
    ///   - cluster: the PostgreSQL cluster (a private one for outage tests); the shared one by default.
    ///   - edgeTimeout: seconds after which a silent edge is no longer waited for.
    init(cluster: PostgresTestCluster? = nil, edgeTimeout: TimeInterval = 30) throws {
        url = try (cluster ?? PostgresTestCluster.shared).makeDatabase()
        directory = try TemporaryDirectory(prefix: "zone-env")
        fixtures = try ServedDomainFixtures(url: url, directory: directory)
        zonePort = try FreePort.allocate(udp: true, tcp: true)
        dns = try DNSTestEnvironment.start(
            zones: ["tenant.test", "platform.test"],
            records: [DNSTestRecord(owner: "edge.platform.test", type: .a, value: "127.0.0.1")],
            delegatedZones: [Self.apex: zonePort]
        )
        group = try EventLoopGroup(numberOfLoops: 1)
        let loopback = try SocketAddress(parsing: "127.0.0.1:0")
        let edgeSource = try StoreSnapshotSource(connectionString: url)
        edge = try EdgeService(
            configuration: .init(
                httpsAddress: loopback,
                httpAddress: loopback,
                accessLog: false,
                follower: .init(persistInterval: .zero)
            ),
            source: edgeSource,
            keyring: fixtures.keyring,
            group: group,
            heartbeat: { try edgeSource.recordHeartbeat(instance: "edge-test", appliedSequence: $0) },
            logger: Logger(label: "edge", level: .error)
        )
        try edge.start()
        snapshotFile = directory.path("zone-snapshot.bin")
        zone = try Self.startZone(
            url: url,
            port: zonePort,
            snapshotFile: snapshotFile,
            group: group,
            edgeTimeout: edgeTimeout
        )
    }

    /// A `dns` role on `port` (127.0.0.1) following the database at `url`.
    static func startZone(
        url: String,
        port: UInt16,
        snapshotFile: String,
        group: EventLoopGroup,
        edgeTimeout: TimeInterval
    ) throws -> ZoneService {
        let service = try ZoneService(
            configuration: .init(
                server: AuthoritativeDNSServerConfiguration(
                    zone: AuthoritativeZoneConfiguration(
                        apex: try DNSName(apex),
                        nameServers: [try DNSName("ns1.platform.test")],
                        recordTTL: 0
                    ),
                    listenAddresses: [try SocketAddress(parsing: "127.0.0.1:\(port)")]
                ),
                adminAddress: try SocketAddress(parsing: "127.0.0.1:0"),
                snapshotFile: snapshotFile,
                follower: .init(persistInterval: .zero),
                edgeTimeout: edgeTimeout
            ),
            source: try StoreZoneSource(connectionString: url),
            group: group,
            logger: Logger(label: "zone", level: .error)
        )
        try service.start()
        return service
    }

    func stop() {
        zone.stop()
        edge.stop(gracePeriod: .seconds(1))
        try? group.shutdownGracefully()
        dns.stop()
    }

    /// A verified domain with a certificate, its `_mta-sts` CNAMEd into the zone; returns its id and label.
    func addDelegatedDomain(_ name: String) throws -> (domain: UUID, label: String) {
        let domain = try fixtures.addDomain(name)
        let label = try label(of: name)
        try dns.set(
            zone: "tenant.test",
            owner: "_mta-sts.\(name)",
            type: .cname,
            value: "\(label)._mta-sts.\(Self.apex)."
        )
        return (domain, label)
    }

    /// The domain's label in the zone.
    func label(of name: String) throws -> String {
        guard let owner = try fixtures.store.accounts.find(email: "owner@\(name)"),
            let domain = try fixtures.store.domains.find(accountID: owner.id, name: name)
        else { throw TestSupportError("no domain \(name)") }
        return domain.dnsLabel
    }

    /// The TXT strings at `name` through Unbound (as a sender resolves it), following the CNAME into the zone.
    func resolvedTXT(_ name: String) throws -> [String] {
        try dns.resolverClient(timeout: .milliseconds(500), attempts: 1).txt(name).map { $0.joined() }
    }

    /// The TXT strings at `name` asked of the responder directly (no cache in between).
    func authoritativeTXT(_ name: String) throws -> [String] {
        let client = DNSClient(
            resolvers: [DNSServerAddress(host: .v4(IPv4Address(127, 0, 0, 1)), port: zonePort)],
            timeout: .milliseconds(500),
            attempts: 1
        )
        return try client.txt(name).map { $0.joined() }
    }
}

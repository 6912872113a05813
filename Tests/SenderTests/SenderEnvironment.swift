import DNS
import DNSServer
import Foundation
import Logging
import MTASTS
import PlatformZone
import PolicyEdge
import SnapshotSync
import SystemIO
import TestSupport

/// Everything a sender needs to find and fetch a policy, all real and on loopback: a fresh PostgreSQL database,
/// an edge on free ports reading it, and Knot behind Unbound serving the customer zone and the platform zone.
///
/// Customer domains live under ``customerZone``; their `mta-sts` hosts are CNAMEs to `edge.<platformZone>`,
/// whose A record is 127.0.0.1, as a customer would delegate to the platform.
///
/// `stop()` ends every process and listener it started; call it in a `defer`.
final class SenderEnvironment: Sendable {
    static let customerZone = "sender.test"
    static let platformZone = "platform.test"
    static let edgeHost = "edge.\(platformZone)"
    /// The platform's own zone, served by the `dns` role when the environment runs one.
    static let delegationZone = "sts.\(platformZone)"

    let directory: TemporaryDirectory
    let fixtures: ServedDomainFixtures
    let group: EventLoopGroup
    let edge: EdgeService
    let dns: DNSTestEnvironment
    let sender: SenderQuery
    /// The `dns` role for ``delegationZone`` (with TXT TTL 0, so Unbound never holds an old id), when asked for.
    let zone: ZoneService?

    /// - Parameter withZone: also run the platform's DNS zone, with the edge reporting its position to it.
    init(withZone: Bool = false) throws {
        directory = try TemporaryDirectory(prefix: "sender")
        let url = try PostgresTestCluster.shared.makeDatabase()
        fixtures = try ServedDomainFixtures(url: url, directory: directory)
        group = try EventLoopGroup(numberOfLoops: 1)
        let loopback = try SocketAddress(parsing: "127.0.0.1:0")
        let source = try StoreSnapshotSource(connectionString: url)
        var heartbeat: (@Sendable (Int64) throws -> Void)?
        if withZone {
            heartbeat = { @Sendable in try source.recordHeartbeat(instance: "sender-edge", appliedSequence: $0) }
        }
        edge = try EdgeService(
            configuration: .init(httpsAddress: loopback, httpAddress: loopback, accessLog: false),
            source: source,
            keyring: fixtures.keyring,
            group: group,
            heartbeat: heartbeat,
            logger: Logger(label: "sender-test-edge", level: .error)
        )
        let zonePort = try FreePort.allocate(udp: true, tcp: true)
        do {
            try edge.start()
            dns = try DNSTestEnvironment.start(
                zones: [Self.customerZone, Self.platformZone],
                records: [DNSTestRecord(owner: Self.edgeHost, type: .a, value: "127.0.0.1")],
                delegatedZones: withZone ? [Self.delegationZone: zonePort] : [:]
            )
        } catch {
            edge.stop(gracePeriod: .zero)
            try? group.shutdownGracefully()
            throw error
        }
        do {
            zone = withZone ? try Self.startZone(url: url, port: zonePort, group: group) : nil
        } catch {
            Self.stop(edge: edge, group: group, dns: dns, directory: directory)
            throw error
        }
        guard let httpsPort = edge.httpsAddress?.port else {
            Self.stop(edge: edge, group: group, dns: dns, directory: directory)
            throw TestSupportError("the edge has no HTTPS listener")
        }
        do {
            sender = try SenderQuery(
                nameserver: dns.resolverAddress.description,
                edgePort: httpsPort,
                zones: [Self.customerZone],
                caFile: fixtures.caFile,
                logDirectory: directory.path
            )
        } catch {
            Self.stop(edge: edge, group: group, dns: dns, directory: directory)
            throw error
        }
    }

    /// Publishes `_mta-sts.<domain>` TXT `v=STSv1; id=<id>` and `mta-sts.<domain>` CNAME to the edge.
    func publish(_ domain: String, id: PolicyID) throws {
        try announce(domain, id: id)
        try delegate(domain)
    }

    /// Points `mta-sts.<domain>` at the edge with a CNAME.
    func delegate(_ domain: String) throws {
        try dns.replace(
            zone: Self.customerZone,
            owner: "mta-sts.\(domain)",
            type: .cname,
            values: [Self.edgeHost + "."]
        )
    }

    /// Replaces the TXT record's id, as a customer (or the platform's DNS) does after a policy change.
    func announce(_ domain: String, id: PolicyID) throws {
        try dns.replace(
            zone: Self.customerZone,
            owner: "_mta-sts.\(domain)",
            type: .txt,
            values: ["v=STSv1; id=\(id.string)"]
        )
    }

    func stop() {
        zone?.stop()
        Self.stop(edge: edge, group: group, dns: dns, directory: directory)
    }

    /// CNAMEs `_mta-sts.<domain>` into the platform's zone, once; from then on the zone announces every id.
    func delegateID(_ domain: String, label: String) throws {
        try dns.replace(
            zone: Self.customerZone,
            owner: "_mta-sts.\(domain)",
            type: .cname,
            values: ["\(label)._mta-sts.\(Self.delegationZone)."]
        )
    }

    private static func startZone(url: String, port: UInt16, group: EventLoopGroup) throws -> ZoneService {
        let service = try ZoneService(
            configuration: .init(
                server: AuthoritativeDNSServerConfiguration(
                    zone: AuthoritativeZoneConfiguration(
                        apex: try DNSName(delegationZone),
                        nameServers: [try DNSName("ns1.\(platformZone)")],
                        recordTTL: 0
                    ),
                    listenAddresses: [try SocketAddress(parsing: "127.0.0.1:\(port)")]
                ),
                follower: .init(persistInterval: .seconds(3600))
            ),
            source: try StoreZoneSource(connectionString: url),
            group: group,
            logger: Logger(label: "sender-test-zone", level: .error)
        )
        try service.start()
        return service
    }

    private static func stop(
        edge: EdgeService,
        group: EventLoopGroup,
        dns: DNSTestEnvironment,
        directory: TemporaryDirectory
    ) {
        edge.stop(gracePeriod: .seconds(1))
        try? group.shutdownGracefully()
        dns.stop()
        directory.remove()
    }
}

// MARK: - Waiting for a verdict

extension SenderEnvironment {
    /// Runs the sender until `accept` holds for its verdict, as DNS and the edge catch up with a change.
    /// - Returns: the first accepted verdict.
    /// - Throws: ``TestSupportError`` with the last verdict and the resolver's log when `deadline` passes.
    func resolve(
        _ domain: String,
        knownVersion: String? = nil,
        deadline: Double = 20,
        _ what: String,
        until accept: (SenderQuery.Result) -> Bool
    ) throws -> SenderQuery.Result {
        var last: SenderQuery.Result?
        do {
            try Poll.until(deadline: deadline, interval: .milliseconds(100), what) {
                let result = try sender.resolve(domain, knownVersion: knownVersion)
                last = result
                return accept(result)
            }
        } catch {
            throw TestSupportError("\(error)\nlast verdict: \(last.map(\.description) ?? "none")")
        }
        guard let last else { throw TestSupportError("\(what): no verdict") }
        return last
    }
}

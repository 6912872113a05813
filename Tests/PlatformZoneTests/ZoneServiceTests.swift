import DNS
import Database
import Foundation
import MTASTS
import PlatformZone
import Store
import Synchronization
import TestSupport
import Testing

/// The `dns` role with real components: PostgreSQL, an edge reporting its position, Knot behind Unbound with a
/// stub zone for the platform's zone, and the responder on a loopback port.
@Suite(.serialized) struct ZoneServiceTests {
    @Test func aNewIdReachesSendersThroughTheResolverWithNoTenantDNSEdit() throws {
        let environment = try ZoneEnvironment()
        defer { environment.stop() }
        let name = "alpha.tenant.test"
        let (domain, label) = try environment.addDelegatedDomain(name)
        let first = try #require(try environment.fixtures.store.policies.current(domainID: domain)?.policyID)
        try Poll.until(deadline: 10, "first id through Unbound") {
            try environment.resolvedTXT("_mta-sts.\(name)") == ["v=STSv1; id=\(first)"]
        }

        // A policy change through the store (as the API makes it) reaches the resolver by itself.
        var announced: [Duration] = []
        var resolved: [Duration] = []
        for round in 1...3 {
            let written = ContinuousClock.now
            let id = try environment.fixtures.setPolicy(
                domain: domain,
                name: name,
                policy: try Policy(parsing: ServedDomainFixtures.policy(mx: "mx\(round).\(name)"))
            )
            let owner = "\(label)._mta-sts.\(ZoneEnvironment.apex)"
            try Poll.until(deadline: 10, interval: .milliseconds(10), "id \(id) announced") {
                try environment.authoritativeTXT(owner) == ["v=STSv1; id=\(id)"]
            }
            announced.append(ContinuousClock.now - written)
            try Poll.until(deadline: 10, interval: .milliseconds(20), "id \(id) through Unbound") {
                try environment.resolvedTXT("_mta-sts.\(name)") == ["v=STSv1; id=\(id)"]
            }
            resolved.append(ContinuousClock.now - written)
        }
        print("MEASURE zone_policy_write_to_announced_seconds=\(announced.map { "\($0)" }.joined(separator: ","))")
        print("MEASURE zone_policy_write_to_resolver_seconds=\(resolved.map { "\($0)" }.joined(separator: ","))")
        #expect(announced.allSatisfy { $0 < .seconds(1) }, "\(announced)")
        #expect(resolved.allSatisfy { $0 < .seconds(2) }, "\(resolved)")

        // TLS-RPT through the zone once the tenant configured addresses and CNAMEd `_smtp._tls`.
        #expect(try environment.authoritativeTXT("\(label)._smtp._tls.\(ZoneEnvironment.apex)").isEmpty)
        _ = try environment.fixtures.store.domains.setTLSRPT(
            domainID: domain,
            rua: ["mailto:tlsrpt@alpha.tenant.test"],
            at: Date()
        )
        try environment.dns.set(
            zone: "tenant.test",
            owner: "_smtp._tls.\(name)",
            type: .cname,
            value: "\(label)._smtp._tls.\(ZoneEnvironment.apex)."
        )
        try Poll.until(deadline: 10, "TLS-RPT through Unbound") {
            try environment.resolvedTXT("_smtp._tls.\(name)") == ["v=TLSRPTv1; rua=mailto:tlsrpt@alpha.tenant.test"]
        }
        // The zone lists no customers: the name is not in it, only its opaque label.
        #expect(!label.contains("alpha"))
        let direct = DNSClient(
            resolvers: [DNSServerAddress(host: .v4(IPv4Address(127, 0, 0, 1)), port: environment.zonePort)],
            timeout: .milliseconds(500),
            attempts: 1
        )
        #expect(
            direct.query(try DNSName("alpha._mta-sts.\(ZoneEnvironment.apex)"), type: .txt) == .nxdomain(cnameChain: [])
        )
    }

    @Test func aNewIdWaitsForAnEdgeHeldBehindUntilItCatchesUpOrFallsSilent() throws {
        let environment = try ZoneEnvironment(edgeTimeout: 2)
        defer { environment.stop() }
        let name = "beta.tenant.test"
        let (domain, label) = try environment.addDelegatedDomain(name)
        let store = environment.fixtures.store
        let owner = "\(label)._mta-sts.\(ZoneEnvironment.apex)"
        let first = try #require(try store.policies.current(domainID: domain)?.policyID)
        try Poll.until(deadline: 10, "first id announced") {
            try environment.authoritativeTXT(owner) == ["v=STSv1; id=\(first)"]
        }

        // A second edge reports a position before the next change and stays there (held behind).
        let held = try #require(try store.changes.changes(after: 0).last?.seq)
        let lagging = Heartbeat(store: store, instance: "edge-held-behind", sequence: held)
        lagging.start()
        defer { lagging.stop() }
        try Poll.until(deadline: 5, "the held edge is live") {
            try store.edgeHeartbeats.progress(window: 2).liveEdges == 2
        }
        let second = try environment.fixtures.setPolicy(
            domain: domain,
            name: name,
            policy: try Policy(parsing: ServedDomainFixtures.policy(mx: "mx2.\(name)"))
        )
        // The real edge serves the new policy at once, but the id stays the old one while the held edge lags.
        try Poll.until(deadline: 5, "the real edge applied the change") {
            try store.edgeHeartbeats.progress(window: 2).minimumApplied == held
                && environment.zone.announced?.snapshot.entry(label: label)?.current.policyID == second.string
        }
        for _ in 0..<10 {
            #expect(try environment.authoritativeTXT(owner) == ["v=STSv1; id=\(first)"])
            usleep(100_000)
        }
        // It catches up: the new id is announced.
        lagging.sequence.store(Int64.max / 2, ordering: .relaxed)
        try Poll.until(deadline: 5, "announced once the held edge caught up") {
            try environment.authoritativeTXT(owner) == ["v=STSv1; id=\(second)"]
        }

        // Held behind again, then silent: after the edge timeout (2 s) it is no longer waited for.
        let now = try #require(try store.changes.changes(after: 0).last?.seq)
        lagging.sequence.store(now, ordering: .relaxed)
        try Poll.until(deadline: 5, "held edge reports again") { lagging.written.load(ordering: .relaxed) == now }
        let third = try environment.fixtures.setPolicy(
            domain: domain,
            name: name,
            policy: try Policy(parsing: ServedDomainFixtures.policy(mx: "mx3.\(name)"))
        )
        #expect(try environment.authoritativeTXT(owner) == ["v=STSv1; id=\(second)"])
        let silenced = ContinuousClock.now
        lagging.stop()
        try Poll.until(deadline: 10, "announced once the held edge fell silent") {
            try environment.authoritativeTXT(owner) == ["v=STSv1; id=\(third)"]
        }
        #expect(ContinuousClock.now - silenced >= .seconds(1))
    }

    @Test func theZoneKeepsAnsweringThroughAnOutageAndAColdStartServesTheFile() throws {
        let cluster = try PostgresTestCluster.start()
        defer { cluster.destroy() }
        let environment = try ZoneEnvironment(cluster: cluster)
        defer { environment.stop() }
        let name = "gamma.tenant.test"
        let (domain, label) = try environment.addDelegatedDomain(name)
        let owner = "\(label)._mta-sts.\(ZoneEnvironment.apex)"
        let id = try #require(try environment.fixtures.store.policies.current(domainID: domain)?.policyID)
        try Poll.until(deadline: 10, "announced") { try environment.authoritativeTXT(owner) == ["v=STSv1; id=\(id)"] }
        try Poll.until(deadline: 10, "snapshot file written") {
            FileManager.default.fileExists(atPath: environment.snapshotFile)
        }

        try cluster.cluster.stop()
        for _ in 0..<20 {
            #expect(try environment.authoritativeTXT(owner) == ["v=STSv1; id=\(id)"])
        }
        // A responder started during the outage answers from its snapshot file.
        let port = try FreePort.allocate(udp: true, tcp: true)
        let cold = try ZoneEnvironment.startZone(
            url: environment.url,
            port: port,
            snapshotFile: environment.snapshotFile,
            group: environment.group,
            edgeTimeout: 30
        )
        defer { cold.stop() }
        let client = DNSClient(
            resolvers: [DNSServerAddress(host: .v4(IPv4Address(127, 0, 0, 1)), port: port)],
            timeout: .milliseconds(500),
            attempts: 2
        )
        #expect(try client.txt(owner).map { $0.joined() } == ["v=STSv1; id=\(id)"])
        try cluster.cluster.start()
    }
}

/// Reports a fixed change-log position for an edge instance every 200 ms until stopped (an edge held behind).
final class Heartbeat: Sendable {
    let sequence: Atomic<Int64>
    /// The position last written.
    let written = Atomic<Int64>(-1)
    private let store: DataStore
    private let instance: String
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(store: DataStore, instance: String, sequence: Int64) {
        self.store = store
        self.instance = instance
        self.sequence = Atomic(sequence)
    }

    func start() {
        running.store(true, ordering: .relaxed)
        Thread { [self] in
            while running.load(ordering: .relaxed) {
                let position = sequence.load(ordering: .relaxed)
                if (try? store.edgeHeartbeats.record(instance: instance, appliedSequence: position)) != nil {
                    written.store(position, ordering: .relaxed)
                }
                usleep(200_000)
            }
            finished.signal()
        }.start()
    }

    func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        finished.wait()
    }
}

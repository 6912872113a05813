package import DNS
import Foundation
import Synchronization

/// Knot (authoritative) plus Unbound (recursive) on free loopback ports, serving test zones.
///
/// Both daemons run in the foreground as children of the test process, as the invoking user, with every
/// file in a temporary directory. Unbound has a stub zone per test zone pointing at Knot, so CNAME chains
/// across zones are resolved as on the internet. TTLs are 1 s and Unbound caps its caches at 1 s, but a
/// change can still take a moment to show: poll with ``Poll/until(deadline:interval:_:_:)``.
///
/// ```swift
/// let dns = try DNSTestEnvironment.start(zones: ["example.test", "platform.test"], records: [
///     DNSTestRecord(owner: "mta-sts.example.test", type: .cname, value: "edge.platform.test."),
///     DNSTestRecord(owner: "edge.platform.test", type: .a, value: "127.0.0.1"),
/// ])
/// defer { dns.stop() }
/// let client = dns.resolverClient()
/// ```
package final class DNSTestEnvironment: Sendable {
    /// The zones served, without trailing dots.
    package let zones: [String]
    /// Unbound's address: use this as the resolver.
    package let resolverAddress: DNSServerAddress
    /// Knot's address: answers only for its own zones and does not chase CNAMEs into other zones.
    package let authoritativeAddress: DNSServerAddress
    /// Configuration, zone files and logs.
    package let directory: TemporaryDirectory
    private let knot: ManagedProcess
    private let unbound: ManagedProcess
    /// Path of the `knotc` binary (for scripts that change records themselves).
    package let knotcPath: String
    /// Knot's control socket (`knotc -s <path>`).
    package let controlSocketPath: String
    private let isStopped = Mutex(false)
    /// Serialises knotc transactions: Knot allows one open transaction per zone.
    let transactionLock = Mutex(())

    private init(
        zones: [String],
        resolverAddress: DNSServerAddress,
        authoritativeAddress: DNSServerAddress,
        directory: TemporaryDirectory,
        knot: ManagedProcess,
        unbound: ManagedProcess,
        knotc: String,
        controlSocket: String
    ) {
        self.zones = zones
        self.resolverAddress = resolverAddress
        self.authoritativeAddress = authoritativeAddress
        self.directory = directory
        self.knot = knot
        self.unbound = unbound
        self.knotcPath = knotc
        self.controlSocketPath = controlSocket
    }

    /// Starts Knot and Unbound and waits until both answer for every zone.
    /// - Parameters:
    ///   - zones: zone apexes such as `"example.test"`; each gets an SOA, an NS and `ns1` A 127.0.0.1.
    ///   - records: initial records, written to the zone files.
    ///   - delegatedZones: more stub zones for Unbound, each served by another authoritative server on
    ///     127.0.0.1 (zone → port), such as the platform's own responder.
    ///   - resolverRecords: records Unbound answers itself (`local-data`, e.g.
    ///     `"mta-sts.a.test. CNAME edge.test."`), ahead of Knot and the stub zones: a name that resolves inside a
    ///     delegated zone whose server is silent.
    ///   - startupTimeout: seconds to wait for each daemon to answer.
    /// - Throws: ``TestSupportError`` when a tool is missing (with the install command) or a daemon does
    ///   not come up; ports are re-picked and the start retried twice first.
    package static func start(
        zones: [String],
        records: [DNSTestRecord] = [],
        delegatedZones: [String: UInt16] = [:],
        resolverRecords: [String] = [],
        startupTimeout: Double = 15
    ) throws -> DNSTestEnvironment {
        let knotd = try Requirement.executable("knotd", installHint: "apt-get install -y knot")
        let knotc = try Requirement.executable("knotc", installHint: "apt-get install -y knot")
        let unboundPath = try Requirement.executable("unbound", installHint: "apt-get install -y unbound")
        let zones = zones.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
        guard !zones.isEmpty else {
            throw TestSupportError("DNSTestEnvironment needs at least one zone")
        }
        var failures: [String] = []
        for _ in 0..<3 {
            do {
                return try launch(
                    zones: zones,
                    records: records,
                    delegatedZones: delegatedZones,
                    resolverRecords: resolverRecords,
                    knotd: knotd,
                    knotc: knotc,
                    unboundPath: unboundPath,
                    startupTimeout: startupTimeout
                )
            } catch {
                failures.append("\(error)")
            }
        }
        throw TestSupportError("DNS test environment did not start:\n" + failures.joined(separator: "\n---\n"))
    }

    private static func launch(
        zones: [String],
        records: [DNSTestRecord],
        delegatedZones: [String: UInt16],
        resolverRecords: [String],
        knotd: String,
        knotc: String,
        unboundPath: String,
        startupTimeout: Double
    ) throws -> DNSTestEnvironment {
        let directory = try TemporaryDirectory(prefix: "dns-env")
        let knotPort = try FreePort.allocate()
        var unboundPort = try FreePort.allocate()
        while unboundPort == knotPort {
            unboundPort = try FreePort.allocate()
        }
        let configuration = Configuration(
            zones: zones,
            directory: directory.path,
            knotPort: knotPort,
            unboundPort: unboundPort,
            delegatedZones: delegatedZones,
            resolverRecords: resolverRecords
        )
        try configuration.writeKnotFiles(records: records)
        let knot = try ManagedProcess.launch(
            name: "knotd",
            executable: knotd,
            arguments: ["-c", configuration.knotConfigPath],
            logDirectory: directory.path
        )
        let authoritative = DNSServerAddress(host: .v4(IPv4Address(127, 0, 0, 1)), port: knotPort)
        try waitForZones(zones, at: authoritative, process: knot, timeout: startupTimeout)

        try directory.write(configuration.unboundConfig, to: "unbound.conf")
        let unbound = try ManagedProcess.launch(
            name: "unbound",
            executable: unboundPath,
            arguments: ["-d", "-c", directory.path("unbound.conf")],
            logDirectory: directory.path
        )
        let resolver = DNSServerAddress(host: .v4(IPv4Address(127, 0, 0, 1)), port: unboundPort)
        do {
            try waitForZones(zones, at: resolver, process: unbound, timeout: startupTimeout)
        } catch {
            unbound.terminate()
            knot.terminate()
            throw error
        }
        return DNSTestEnvironment(
            zones: zones,
            resolverAddress: resolver,
            authoritativeAddress: authoritative,
            directory: directory,
            knot: knot,
            unbound: unbound,
            knotc: knotc,
            controlSocket: configuration.controlSocketPath
        )
    }

    /// Polls `server` for each zone's SOA until it answers; kills `process` and throws with its log otherwise.
    private static func waitForZones(
        _ zones: [String],
        at server: DNSServerAddress,
        process: ManagedProcess,
        timeout: Double
    ) throws {
        let client = DNSClient(resolvers: [server], timeout: .milliseconds(200), attempts: 1)
        do {
            try Poll.until(deadline: timeout, interval: .milliseconds(20), "\(process.name) answering on \(server)") {
                guard process.isRunning else {
                    throw TestSupportError("\(process.name) exited: \(process.poll().map(\.description) ?? "?")")
                }
                return try zones.allSatisfy { zone in
                    if case .answer = try client.query(zone, type: .soa) { return true }
                    return false
                }
            }
        } catch {
            process.terminate()
            throw TestSupportError("\(error)\n\(process.name) log:\n\(process.logTail())")
        }
    }

    /// A client using Unbound, with a short per-attempt timeout suited to loopback.
    package func resolverClient(timeout: Duration = .seconds(2), attempts: Int = 2) -> DNSClient {
        DNSClient(resolvers: [resolverAddress], timeout: timeout, attempts: attempts)
    }

    /// A client asking Knot directly.
    package func authoritativeClient(timeout: Duration = .seconds(2), attempts: Int = 2) -> DNSClient {
        DNSClient(resolvers: [authoritativeAddress], timeout: timeout, attempts: attempts)
    }

    /// Stops Unbound and Knot and deletes the directory; later calls do nothing.
    package func stop() {
        let alreadyStopped = isStopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        unbound.terminate()
        knot.terminate()
        directory.remove()
    }

    deinit {
        stop()
    }
}

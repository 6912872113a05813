import ACME
import API
import Checks
import Crypto
import DNS
import Database
import Foundation
import HTTPCore
import Logging
import PolicyEdge
import ReportIntake
import SnapshotSync
import Store
import SystemIO
import TLS
import TestSupport
import WebServer
import Worker

/// PostgreSQL, Knot + Unbound, the edge (its HTTP listener on Pebble's validation port), Pebble and workers.
final class LifecycleEnvironment: @unchecked Sendable {
    // All members are set once in init; the test thread is the only mutator of `workers` (append in init).
    let url: String
    let pool: PostgresPool
    let dns: DNSTestEnvironment
    let pebble: PebbleTestEnvironment
    let keyring: Keyring
    let group: EventLoopGroup
    let edge: EdgeService
    let workers: [WorkerService]
    let rootCAFile: String
    let fixtures: ServedDomainFixtures
    /// The TLS-RPT intake behind the edge's reports host, when the environment has one.
    let reception: ReportReception?
    /// The reports host's certificate as the edge serves it (refresh after issuance).
    let reportsCertificate: PlatformCertificateResolver?
    private let reportsPool: BlockingPool?
    private let spoolDirectory: TemporaryDirectory?

    static let edgeHostname = "edge.platform.test"
    /// The platform's own name, for tests of the API's certificate.
    static let apiHostname = "api.platform.test"
    /// The reports host, for tests of the TLS-RPT intake's HTTPS door.
    static let reportsHostname = "reports.platform.test"

    init(
        workerCount: Int = 1,
        validitySeconds: Int = 7 * 86_400,
        nonceRejectPercent: Int? = nil,
        workerLog: LogSink? = nil,
        concurrency: Int = 4,
        orderBudget: ACMEOrderBudgetRepository.Budget = .init(),
        maximumFailedOrders: Int = 5,
        blockedDomains: [String] = [],
        platformHost: String? = nil,
        reportsHost: Bool = false
    ) throws {
        url = try PostgresTestCluster.shared.makeDatabase()
        pool = PostgresPool(configuration: .init(connectionString: url, maxConnections: 12))
        fixtures = try ServedDomainFixtures(url: url, directory: try TemporaryDirectory(prefix: "lifecycle"))
        dns = try DNSTestEnvironment.start(
            zones: ["tenant.test", "platform.test"],
            records: [
                DNSTestRecord(owner: Self.edgeHostname, type: .a, value: "127.0.0.1"),
                DNSTestRecord(owner: Self.apiHostname, type: .a, value: "127.0.0.1"),
                DNSTestRecord(owner: Self.reportsHostname, type: .a, value: "127.0.0.1"),
            ]
        )
        let httpPort = try FreePort.allocate(udp: false, tcp: true)
        let keyring = try Keyring(current: try MasterKey.generate())
        self.keyring = keyring
        group = try EventLoopGroup(numberOfLoops: 2)
        var extraHost: (virtualHost: HTTPVirtualHost, resolver: any ServerNameResolver)?
        if reportsHost {
            let spoolDirectory = try TemporaryDirectory(prefix: "reports-spool")
            self.spoolDirectory = spoolDirectory
            let reception = try ReportReception(
                spoolDirectory: spoolDirectory.path,
                store: DataStore(pool: pool),
                logger: Logger(label: "reports", level: .error)
            )
            let resolver = PlatformCertificateResolver(
                host: Self.reportsHostname,
                store: DataStore(pool: pool),
                keyring: keyring,
                logger: Logger(label: "reports-tls", level: .error)
            )
            let reportsPool = BlockingPool(numberOfThreads: 2, name: "reports", maximumQueued: 32)
            extraHost = (
                HTTPVirtualHost(
                    serverNames: [Self.reportsHostname],
                    limits: HTTPParserLimits(bodyBytes: ReportHTTPResponder.maximumBodyBytes),
                    responder: ReportHTTPResponder(
                        acceptor: reception.acceptor,
                        problemBase: "https://\(Self.apiHostname)/problems/"
                    ),
                    pool: reportsPool
                ),
                resolver
            )
            self.reception = reception
            self.reportsPool = reportsPool
            reportsCertificate = resolver
        } else {
            reception = nil
            reportsPool = nil
            spoolDirectory = nil
            reportsCertificate = nil
        }
        edge = try EdgeService(
            configuration: .init(
                httpsAddress: try SocketAddress(parsing: "127.0.0.1:0"),
                httpAddress: try SocketAddress(parsing: "127.0.0.1:\(httpPort)"),
                accessLog: false,
                follower: .init(persistInterval: .zero),
                extraHost: extraHost
            ),
            source: try StoreSnapshotSource(connectionString: url),
            keyring: keyring,
            group: group,
            logger: Logger(label: "edge", level: .error)
        )
        try edge.start()
        pebble = try PebbleTestEnvironment.start(
            httpPort: httpPort,
            certificateValidityPeriod: validitySeconds,
            nonceRejectPercent: nonceRejectPercent,
            dnsResolver: dns.resolverAddress,
            blockedDomains: blockedDomains
        )
        let root = try pebble.rootCertificatePEM()
        rootCAFile =
            FileManager.default.temporaryDirectory.appendingPathComponent("pebble-root-\(UUID().uuidString).pem").path
        try root.write(toFile: rootCAFile, atomically: true, encoding: .utf8)
        var workers: [WorkerService] = []
        for index in 0..<workerCount {
            let settings = WorkerAssembly.Settings(
                acme: ACMEClientConfiguration(directoryURL: pebble.directoryURL, contactEmails: ["ops@platform.test"]),
                caBundle: pebble.caBundlePath,
                caaIdentities: ["pebble.test"],
                edgeHostname: Self.edgeHostname,
                http01Port: httpPort,
                service: .init(
                    concurrency: concurrency,
                    scanInterval: .milliseconds(200),
                    jobLease: .seconds(60),
                    platformHosts: platformHost.map { [$0] } ?? []
                ),
                // The checks fetch policies as a sender trusting Pebble's root would, from the edge's port.
                checkCABundle: rootCAFile,
                checkHTTPSPort: edge.httpsAddress?.port ?? 443,
                orderBudget: orderBudget,
                maximumFailedOrders: maximumFailedOrders
            )
            let worker = try WorkerAssembly.make(
                settings: settings,
                connectionString: url,
                keyring: keyring,
                dns: dns.resolverClient(),
                logger: workerLog.map { Logger(label: "worker-\(index)", level: .info, sink: $0) }
                    ?? Logger(label: "worker-\(index)", level: .error)
            )
            workers.append(worker)
        }
        self.workers = workers
    }

    /// The same ACME account the workers use (registered on first use), for tests that act as a worker.
    func acmeClient() throws -> ACMEClient {
        let transport = HTTPSACMETransport(client: try pebble.makeHTTPClient())
        return try ACMEAccountLoader.load(
            store: DataStore(pool: pool),
            keyring: keyring,
            configuration: ACMEClientConfiguration(
                directoryURL: pebble.directoryURL,
                contactEmails: ["ops@platform.test"]
            ),
            transport: transport,
            logger: Logger(label: "test-acme", level: .error)
        )
    }

    /// The check `POST /v1/checks` runs, configured like the workers' (Pebble's root, the edge's port).
    func checkService() throws -> CheckService {
        CheckService(
            engine: try CheckEngine(
                dns: dns.resolverClient(),
                settings: CheckSettings(
                    edgeHostname: Self.edgeHostname,
                    caaIdentities: ["pebble.test"],
                    trustRoots: .file(rootCAFile),
                    httpsPort: edge.httpsAddress?.port ?? 443,
                    smtpPort: 9
                ),
                logger: Logger(label: "check", level: .critical)
            )
        )
    }

    func startWorkers() {
        for worker in workers { worker.start() }
    }

    func stop() {
        for worker in workers { worker.stop() }
        edge.stop(gracePeriod: .seconds(1))
        reportsPool?.shutdown()
        try? group.shutdownGracefully()
        pebble.stop()
        dns.stop()
        pool.close()
        try? FileManager.default.removeItem(atPath: rootCAFile)
    }

    /// A verified domain with an enforce policy and no certificate yet, as the API leaves it after verification.
    @discardableResult
    func addVerifiedDomain(_ name: String) throws -> UUID {
        try fixtures.addDomain(name, policyText: Self.policyText(name), certificate: false)
    }

    static func policyText(_ name: String) -> String {
        ServedDomainFixtures.policy(mx: "mx.\(name)")
    }

    func state(_ domain: UUID) throws -> (status: String, error: String?)? {
        try pool.withConnection { connection in
            try connection.query("SELECT status, last_error FROM certificate_states WHERE domain_id = \(domain)")
                .first?.decode((String, String?).self)
        }
    }

    /// A row of the job queue as tests read it.
    struct QueuedJob {
        let kind: String
        let domainID: UUID?
        let attempts: Int
        /// Seconds until the job is due (negative when it is overdue).
        let dueIn: Double
        let lastError: String?
    }

    /// Every job in the queue, oldest first.
    func queuedJobs() throws -> [QueuedJob] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT kind, domain_id, attempts, extract(epoch FROM run_after - now())::float8, last_error
                FROM jobs ORDER BY id
                """
            ).map { row in
                let (kind, domainID, attempts, dueIn, lastError) = try row.decode(
                    (String, UUID?, Int, Double, String?).self
                )
                return QueuedJob(kind: kind, domainID: domainID, attempts: attempts, dueIn: dueIn, lastError: lastError)
            }
        }
    }

    /// The first job matching `isWanted` that has failed at least once, waited for up to 30 s.
    func firstFailedJob(_ what: String, where isWanted: (QueuedJob) -> Bool) throws -> QueuedJob {
        var failed: QueuedJob?
        try Poll.until(deadline: 30, what) {
            failed = try queuedJobs().first { isWanted($0) && $0.attempts > 0 }
            return failed != nil
        }
        guard let failed else { throw TestSupportError("\(what): no such job") }
        return failed
    }

    /// The domain's certificate state and queued jobs, for the message of a test that waited in vain.
    func diagnosis(_ domain: UUID) -> String {
        let state = (try? state(domain)).flatMap { $0 }.map { "\($0.status): \($0.error ?? "-")" } ?? "none"
        let jobs = ((try? queuedJobs()) ?? []).filter { $0.domainID == domain }.map { job in
            "\(job.kind) attempts=\(job.attempts) due_in=\(Int(job.dueIn))s error=\(job.lastError ?? "-")"
        }
        return "certificate state \(state); jobs: \(jobs.isEmpty ? "none" : jobs.joined(separator: "; "))"
    }

    func certificateCount(_ domain: UUID) throws -> Int {
        try pool.withConnection { connection in
            try connection.query("SELECT count(*) FROM certificates WHERE domain_id = \(domain)").first?.decode(
                Int.self,
                at: 0
            )
        } ?? 0
    }

    /// Fetches the policy over HTTPS like a sender: SNI, certificate verified against Pebble's root and the host.
    func fetchPolicy(_ name: String) throws -> String {
        guard let address = edge.httpsAddress else { throw TestSupportError("edge not listening") }
        let text = try httpsGet(address, host: "mta-sts." + name, path: "/.well-known/mta-sts.txt")
        guard text.hasPrefix("HTTP/1.1 200 "), let split = text.range(of: "\r\n\r\n") else {
            throw TestSupportError("unexpected response: \(text.prefix(80))")
        }
        return String(text[split.upperBound...])
    }

    /// One GET over HTTPS to `address` with SNI and `Host` `host`, verified against Pebble's root; the whole
    /// response as text.
    func httpsGet(_ address: SocketAddress, host: String, path: String) throws -> String {
        try httpsRequest(address, host: host, head: "GET \(path) HTTP/1.1", body: [])
    }

    /// One POST of `body` over HTTPS, as ``httpsGet(_:host:path:)``.
    func httpsPost(
        _ address: SocketAddress,
        host: String,
        path: String,
        contentType: String,
        body: [UInt8]
    ) throws
        -> String
    {
        try httpsRequest(
            address,
            host: host,
            head: "POST \(path) HTTP/1.1\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)",
            body: body
        )
    }

    private func httpsRequest(_ address: SocketAddress, host: String, head: String, body: [UInt8]) throws -> String {
        let context = try TLSContext.makeClient(configuration: .client(trustRoots: .file(rootCAFile)))
        let socket = try Socket.connect(to: address, timeout: .seconds(3))
        defer { try? socket.close() }
        let tls = try TLSConnection(context: context, fd: socket.fileDescriptor, serverName: host)
        if case .failed(let error) = tls.handshake() { throw error }
        let request = Array("\(head)\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8) + body
        var offset = 0
        while offset < request.count,
            case .complete(let written) = request[offset...].withUnsafeBytes({ tls.write($0) })
        {
            offset += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while case .complete(let count) = buffer.withUnsafeMutableBytes({ tls.read(into: $0) }), count > 0 {
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }
}

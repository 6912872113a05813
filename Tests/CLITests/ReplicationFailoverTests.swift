import Crypto
import Database
import Dispatch
import Foundation
import HTTPCore
import Store
import Synchronization
import SystemIO
import TLS
import TestSupport
import Testing
import WebClient

/// Several nodes on PostgreSQL's own replication: the API and the worker write to the primary through a
/// multi-host `MTASTS_DATABASE_URL` (`target_session_attrs=read-write`), two edges read from a streaming
/// replica (`MTASTS_DATABASE_READ_URL`) and poll its change log. The primary is stopped under load and the
/// replica promoted: the edges never fail a request, and the writers come back by themselves.
@Suite struct ReplicationFailoverTests {
    /// An edge process's HTTPS port and admin base URL.
    private struct Edge: Sendable {
        let https: UInt16
        let admin: String
    }

    private static let domain = "failover.test"
    private static let host = "mta-sts.failover.test"

    @Test func edgesOnAReplicaServeThroughTheLossOfThePrimaryAndWritersFollowThePromotion() throws {
        let primary = try PostgresTestCluster.start()
        defer { primary.destroy() }
        let url = try primary.makeDatabase()
        let database = try #require(url.split(separator: " ").first { $0.hasPrefix("dbname=") }?.dropFirst(7))
        let directory = try TemporaryDirectory(prefix: "failover")
        let keyFile = directory.path + "/master.key"
        let fixtures = try ServedDomainFixtures(
            url: url,
            directory: directory,
            keyring: try Keyring(current: try MasterKey.generate(toFile: keyFile))
        )
        try fixtures.addDomain(Self.domain, policyText: ServedDomainFixtures.policy(mx: "mx1.failover.test"))
        let owner = try #require(try fixtures.store.accounts.find(email: "owner@\(Self.domain)"))
        let token = try SecureRandom.token(prefix: "mts_", byteCount: 32)
        try fixtures.store.tokens.create(
            accountID: owner.id,
            name: "failover",
            kind: .api,
            sha256: Digest.sha256(token),
            at: Date(),
            expiresAt: nil
        )

        let replica = try primary.startReplica()
        defer { replica.destroy() }
        let replicaURL = replica.cluster.connectionString(database: String(database))
        let writerURL =
            "host=\(primary.cluster.socketDirectory.path),\(replica.cluster.socketDirectory.path) user=postgres "
            + "dbname=\(database) target_session_attrs=read-write"
        let deadResolver = "127.0.0.1:\(try FreePort.allocate())"
        let common = [
            "MTASTS_DATABASE_URL": writerURL,
            "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path,
            "MTASTS_SECRET_KEY_FILE": keyFile,
            "MTASTS_DNS_RESOLVERS": deadResolver,
            "MTASTS_EVENT_LOOPS": "1",
            "MTASTS_LOG_LEVEL": "notice",
        ]

        let apiPort = try FreePort.allocate(udp: false)
        let apiAdmin = "http://127.0.0.1:\(try FreePort.allocate(udp: false))"
        let api = try MTASTSBinary.launch(
            ["api", "--no-migrate"],
            environment: common.merging([
                "MTASTS_API_LISTEN": "127.0.0.1:\(apiPort)",
                "MTASTS_API_ADMIN_LISTEN": String(apiAdmin.dropFirst(7)),
                "MTASTS_DATA_DIR": directory.path("api"),
            ]) { _, new in new },
            directory: directory
        )
        defer { _ = api.terminate() }
        let workerAdmin = "http://127.0.0.1:\(try FreePort.allocate(udp: false))"
        let worker = try MTASTSBinary.launch(
            ["worker", "--no-migrate"],
            environment: common.merging([
                "MTASTS_WORKER_ADMIN_LISTEN": String(workerAdmin.dropFirst(7)),
                "MTASTS_ACME_DIRECTORY": "https://127.0.0.1:\(try FreePort.allocate(udp: false))/directory",
                "MTASTS_DATA_DIR": directory.path("worker"),
            ]) { _, new in new },
            directory: directory
        )
        defer { _ = worker.terminate() }
        var edges: [Edge] = []
        var edgeProcesses: [ManagedProcess] = []
        defer { for process in edgeProcesses { _ = process.terminate() } }
        for index in 0..<2 {
            let https = try FreePort.allocate(udp: false)
            let admin = "http://127.0.0.1:\(try FreePort.allocate(udp: false))"
            let process = try MTASTSBinary.launch(
                ["edge", "--no-migrate"],
                environment: common.merging([
                    "MTASTS_DATABASE_READ_URL": replicaURL,
                    "MTASTS_DATABASE_READ_POLL_MS": "100",
                    "MTASTS_EDGE_HTTPS_LISTEN": "127.0.0.1:\(https)",
                    "MTASTS_EDGE_HTTP_LISTEN": "127.0.0.1:\(try FreePort.allocate(udp: false))",
                    "MTASTS_EDGE_ADMIN_LISTEN": String(admin.dropFirst(7)),
                    "MTASTS_EDGE_ACCESS_LOG": "off",
                    "MTASTS_DATA_DIR": directory.path("edge-\(index)"),
                    "MTASTS_EDGE_SNAPSHOT_FILE": directory.path("edge-\(index)-snapshot.bin"),
                ]) { _, new in new },
                directory: directory
            )
            edgeProcesses.append(process)
            edges.append(Edge(https: https, admin: admin))
        }
        let plain = try HTTPClient()
        func readiness(_ admin: String) -> Int? {
            (try? plain.send(try ClientRequest(url: admin + "/readyz")))?.status.code
        }
        for (admin, process) in zip([apiAdmin, workerAdmin] + edges.map(\.admin), [api, worker] + edgeProcesses) {
            do {
                try Poll.until(deadline: 60, "\(admin)/readyz answers 200") {
                    guard process.isRunning else { throw TestSupportError("the process exited") }
                    return readiness(admin) == 200
                }
            } catch {
                let body = (try? plain.send(try ClientRequest(url: admin + "/readyz"))).map {
                    String(decoding: $0.body, as: UTF8.self)
                }
                throw TestSupportError("\(error): \(body ?? "no answer")\n\(process.logTail(lines: 30))")
            }
        }

        var configuration = HTTPClientConfiguration(trustRoots: .file(fixtures.caFile))
        let loopback = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
        configuration.resolver = HostResolver { _ in [loopback] }
        configuration.connectTimeout = .seconds(5)
        configuration.requestTimeout = .seconds(5)
        let client = try HTTPClient(configuration: configuration)
        @Sendable func served(_ edge: Edge) throws -> String {
            let response = try client.send(
                try ClientRequest(url: "https://\(Self.host):\(edge.https)/.well-known/mta-sts.txt")
            )
            guard response.status == .ok else { throw TestSupportError("edge answered \(response.status.code)") }
            return String(decoding: response.body, as: UTF8.self)
        }
        for edge in edges {
            try Poll.until(deadline: 30, "the replica's edge serves the first policy") {
                (try? served(edge))?.contains("mx: mx1.failover.test") == true
            }
        }
        let metrics = try plain.send(try ClientRequest(url: edges[0].admin + "/metrics"))
        let metricsText = String(decoding: metrics.body, as: UTF8.self)
        #expect(metricsText.contains("mtasts_edge_database_in_recovery 1\n"), "\(metricsText)")

        // A policy change through the API reaches both edges through the replica.
        let changeDelay = try changePolicy(
            api: api,
            mx: "mx2.failover.test",
            apiPort: apiPort,
            token: token,
            edges: edges,
            served: served
        )
        Self.report(
            "policy change through the API served by both edges on the replica after \(Int(changeDelay * 1000)) ms"
        )
        #expect(changeDelay < 5)
        // The replica has now replayed a transaction, so its replay lag is known.
        try Poll.until(deadline: 10, "the edge reports the replica's replay lag") {
            let text = String(
                decoding: try plain.send(try ClientRequest(url: edges[0].admin + "/metrics")).body,
                as: UTF8.self
            )
            return text.contains("mtasts_edge_replica_replay_lag_seconds ")
        }

        // Load on both edges, new TLS connection per request, while the primary is lost and replaced.
        let stop = Atomic<Bool>(false)
        let successes = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let finished = DispatchGroup()
        for edge in edges {
            DispatchQueue.global().async(group: finished) {
                while !stop.load(ordering: .relaxed) {
                    do {
                        let text = try served(edge)
                        guard text.hasPrefix("version: STSv1") else { throw TestSupportError("body \(text)") }
                        successes.add(1, ordering: .relaxed)
                    } catch {
                        failures.withLock { $0.append("edge :\(edge.https): \(error)") }
                    }
                }
            }
        }
        defer {
            stop.store(true, ordering: .relaxed)
            finished.wait()
        }

        try primary.cluster.stop()
        for admin in [apiAdmin, workerAdmin] {
            try Poll.until(deadline: 30, "\(admin)/readyz answers 503 without a primary") { readiness(admin) == 503 }
        }
        // The edges keep answering from the replica: 200 more requests with no primary at all.
        let atStop = successes.load(ordering: .relaxed)
        try Poll.until(deadline: 60, "200 requests served without a primary") {
            successes.load(ordering: .relaxed) >= atStop + 200
        }
        for edge in edges { #expect(readiness(edge.admin) == 200, "an edge on the live replica stays ready") }
        let servedWithoutPrimary = successes.load(ordering: .relaxed)

        try replica.cluster.promote()
        for admin in [apiAdmin, workerAdmin] {
            try Poll.until(deadline: 30, "\(admin)/readyz answers 200 on the promoted replica") {
                readiness(admin) == 200
            }
        }
        let promotedDelay = try changePolicy(
            api: api,
            mx: "mx3.failover.test",
            apiPort: apiPort,
            token: token,
            edges: edges,
            served: served
        )
        Self.report(
            "after promotion: policy change served by both edges after \(Int(promotedDelay * 1000)) ms; "
                + "\(successes.load(ordering: .relaxed)) requests under load, \(servedWithoutPrimary) before promotion"
        )
        stop.store(true, ordering: .relaxed)
        finished.wait()
        let apiMetrics = String(
            decoding: try plain.send(try ClientRequest(url: apiAdmin + "/metrics")).body,
            as: UTF8.self
        )
        #expect(
            apiMetrics.contains(
                #"mtasts_api_requests_total{method="PUT",route="/v1/domains/{name}/policy",code="200"} 2"#
            ),
            "\(apiMetrics)"
        )
        #expect(
            apiMetrics.contains(
                #"mtasts_api_request_duration_seconds_count{method="PUT",route="/v1/domains/{name}/policy"} "#
            )
        )
        let failed = failures.withLock { $0 }
        #expect(failed.isEmpty, "\(failed.count) failed requests, e.g. \(failed.prefix(3))")
        #expect(successes.load(ordering: .relaxed) > servedWithoutPrimary)
        #expect(servedWithoutPrimary > 0)
    }

    /// Writes a measured figure to the test log (standard error), where the closing notes take it from.
    private static func report(_ line: String) {
        FileHandle.standardError.write(Data("[figure] ReplicationFailoverTests: \(line)\n".utf8))
    }

    /// Puts a one-MX policy through the API and returns the seconds until both edges serve it.
    private func changePolicy(
        api: ManagedProcess,
        mx: String,
        apiPort: UInt16,
        token: String,
        edges: [Edge],
        served: @Sendable (Edge) throws -> String
    ) throws -> Double {
        let body = #"{"mode":"testing","mx":["\#(mx)"],"max_age":86400,"force":true}"#
        var fields = HTTPFields()
        fields.set(.authorization, "Bearer \(token)")
        fields.set(.contentType, "application/json")
        // Right after a promotion the first request may find its pooled connection dead: 503 with Retry-After,
        // as a client sees it, and the next one reconnects. Anything but 200 or 503 fails the test.
        try Poll.until(deadline: 30, interval: .milliseconds(200), "PUT policy answers 200") {
            let response = try HTTPClient().send(
                try ClientRequest(
                    method: .put,
                    url: "http://127.0.0.1:\(apiPort)/v1/domains/\(Self.domain)/policy",
                    headers: fields,
                    body: Array(body.utf8)
                )
            )
            guard response.status == .ok || response.status == .serviceUnavailable else {
                let text = String(decoding: response.body, as: UTF8.self)
                throw TestSupportError("PUT policy: \(response.status.code) \(text)\n\(api.logTail(lines: 20))")
            }
            return response.status == .ok
        }
        let started = ContinuousClock.now
        for edge in edges {
            try Poll.until(deadline: 30, interval: .milliseconds(10), "edge :\(edge.https) serves mx \(mx)") {
                (try? served(edge))?.contains("mx: \(mx)") == true
            }
        }
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

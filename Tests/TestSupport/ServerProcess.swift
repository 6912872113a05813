package import DNS
import Foundation
package import HTTPCore
package import WebClient

/// The real `mtasts serve` (or one of its single-role commands) on free loopback ports, against a test database and
/// the test resolver.
///
/// ```swift
/// let server = try ServerProcess.start(databaseURL: try PostgresTestCluster.shared.makeDatabase(),
///     resolver: dns.resolverAddress, edgeHostname: "edge.platform.test", directory: directory)
/// defer { server.stop() }
/// ```
package final class ServerProcess {
    /// `http://127.0.0.1:<port>`: the API and the web form.
    package let baseURL: String
    /// `http://127.0.0.1:<port>` of each role's admin listener (`/healthz`, `/readyz`, `/metrics`), by role:
    /// `api`, `edge`, `worker`, and `dns` when the zone is served.
    package let adminURLs: [String: String]
    private let process: ManagedProcess

    private init(baseURL: String, adminURLs: [String: String], process: ManagedProcess) {
        self.baseURL = baseURL
        self.adminURLs = adminURLs
        self.process = process
    }

    /// Starts the server and waits until `GET /` answers 200; retried with new ports when a port was taken.
    /// - Parameters:
    ///   - databaseURL: a migrated database.
    ///   - resolver: the recursive resolver for live DNS checks.
    ///   - edgeHostname: `MTASTS_EDGE_HOSTNAME`.
    ///   - dnsZone: `MTASTS_DNS_ZONE`, the platform's zone tenants may CNAME their records into; its `dns`
    ///     role's listeners (`MTASTS_DNS_LISTEN`, `MTASTS_DNS_ADMIN_LISTEN`) get free loopback ports too.
    ///   - edgeHTTPPort: the edge's plain-HTTP port when it must be a given one (the port Pebble's http-01
    ///     validation connects to); otherwise a free one.
    ///   - checkCABundle: `MTASTS_CHECK_CA_BUNDLE`, the roots the worker's checks trust for policy hosts (a test CA's
    ///     root); with it the checks fetch policies from this server's own edge (`MTASTS_CHECK_HTTPS_PORT` set to
    ///     the edge's HTTPS port).
    ///   - environment: more variables (the ACME directory and CA bundle of a test CA, the worker's scan interval).
    ///   - directory: where the data directory and logs go.
    ///   - command: `serve` for every role, or `api` for the JSON API and web form alone (no worker reaching out).
    package static func start(
        databaseURL: String,
        resolver: DNSServerAddress,
        edgeHostname: String,
        dnsZone: String? = nil,
        edgeHTTPPort: UInt16? = nil,
        checkCABundle: String? = nil,
        environment extraEnvironment: [String: String] = [:],
        directory: TemporaryDirectory,
        command: String = "serve"
    ) throws -> ServerProcess {
        let binary = RepositoryPaths.debugBinary.path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError("\(binary) is missing: run `swift build` before `swift test` (make test does)")
        }
        var failures: [String] = []
        for attempt in 0..<3 {
            // 0–3: API and edge (TCP); 4: the zone's DNS listener (UDP and TCP); 5: its metrics (TCP); 6: the
            // worker's admin listener; 7: the API's (TCP: their default ports would collide with another server
            // started in parallel).
            var ports =
                try (0..<4).map { _ in try FreePort.allocate(udp: false) }
                + [try FreePort.allocate(), try FreePort.allocate(udp: false), try FreePort.allocate(udp: false)]
                + [try FreePort.allocate(udp: false)]
            if let edgeHTTPPort { ports[2] = edgeHTTPPort }
            guard Set(ports).count == ports.count else { continue }
            var environment = [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "MTASTS_DATABASE_URL": databaseURL,
                "MTASTS_API_LISTEN": "127.0.0.1:\(ports[0])",
                "MTASTS_EDGE_HTTPS_LISTEN": "127.0.0.1:\(ports[1])",
                "MTASTS_EDGE_HTTP_LISTEN": "127.0.0.1:\(ports[2])",
                "MTASTS_EDGE_ADMIN_LISTEN": "127.0.0.1:\(ports[3])",
                "MTASTS_WORKER_ADMIN_LISTEN": "127.0.0.1:\(ports[6])",
                "MTASTS_API_ADMIN_LISTEN": "127.0.0.1:\(ports[7])",
                "MTASTS_DNS_RESOLVERS": resolver.description,
                "MTASTS_EDGE_HOSTNAME": edgeHostname,
                "MTASTS_DATA_DIR": directory.path("data-\(attempt)"),
                "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path,
                "MTASTS_PUBLIC_DIR": RepositoryPaths.root.appendingPathComponent("Public").path,
                "MTASTS_EVENT_LOOPS": "1",
            ]
            if let checkCABundle {
                environment["MTASTS_CHECK_CA_BUNDLE"] = checkCABundle
                environment["MTASTS_CHECK_HTTPS_PORT"] = String(ports[1])
            }
            environment.merge(extraEnvironment) { _, new in new }
            if let dnsZone {
                environment["MTASTS_DNS_ZONE"] = dnsZone
                environment["MTASTS_DNS_NS"] = "ns1.platform.test"
                environment["MTASTS_DNS_LISTEN"] = "127.0.0.1:\(ports[4])"
                environment["MTASTS_DNS_ADMIN_LISTEN"] = "127.0.0.1:\(ports[5])"
            }
            let process = try ManagedProcess.launch(
                name: "mtasts-\(command)-\(attempt)",
                executable: binary,
                arguments: [command],
                environment: environment,
                logDirectory: directory.path
            )
            var admin = ["api": ports[7], "edge": ports[3], "worker": ports[6]].mapValues { "http://127.0.0.1:\($0)" }
            if dnsZone != nil { admin["dns"] = "http://127.0.0.1:\(ports[5])" }
            let server = ServerProcess(baseURL: "http://127.0.0.1:\(ports[0])", adminURLs: admin, process: process)
            do {
                try server.waitUntilServing()
                return server
            } catch {
                process.terminate()
                failures.append("\(error)\n\(process.logTail(lines: 30))")
            }
        }
        throw TestSupportError("mtasts \(command) did not start:\n" + failures.joined(separator: "\n---\n"))
    }

    private func waitUntilServing() throws {
        let client = try HTTPClient()
        try Poll.until(deadline: 60, interval: .milliseconds(100), "mtasts serve answering GET /") {
            guard process.isRunning else {
                throw TestSupportError("mtasts serve exited: \(process.poll().map(\.description) ?? "?")")
            }
            return try client.send(try ClientRequest(url: baseURL + "/")).status == .ok
        }
    }

    /// Sends one request to the server.
    package func send(_ path: String, method: HTTPMethod = .get, headers: HTTPFields = [:]) throws -> ClientResponse {
        try HTTPClient().send(try ClientRequest(method: method, url: baseURL + path, headers: headers))
    }

    /// The server's output, for failure messages.
    package func logTail() -> String { process.logTail(lines: 40) }

    /// Stops the server (SIGTERM, then SIGKILL).
    package func stop() { process.terminate(gracePeriod: 15) }

    deinit { stop() }
}

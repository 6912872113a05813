import DNS
import Foundation
import Glibc
import HTTPCore
import JSON
import TestSupport

/// `make demo`: Knot behind Unbound, Pebble and `mtasts serve` on loopback, a demo tenant whose domain is verified and
/// has its certificate, then what to try next. Ctrl-C (or SIGTERM) stops everything it started.
///
/// With `DEMO_EXIT_AFTER_READY=1` it stops everything and exits 0 once ready (the test in
/// `Tests/CLITests/DemoTests.swift`); any failure exits 1 with the reason, after stopping what it started.
enum DemoCommand {
    static let domain = "demo.test"
    static let platformZone = "platform.test"
    static let edgeHostname = "edge.platform.test"
    /// The platform's own zone (`mtasts dns`): `_mta-sts.demo.test` is a CNAME into it, so new ids need no DNS edit.
    static let stsZone = "sts.platform.test"
    static let email = "demo@demo.test"
    static let password = "mta-sts demo password"

    static func run(environment: [String: String]) -> Int32 {
        let cleanup = DemoCleanup()
        startSignalThread(cleanup: cleanup)
        do {
            try start(cleanup: cleanup)
        } catch {
            say("demo: failed: \(error)")
            cleanup.runAll()
            return 1
        }
        if environment["DEMO_EXIT_AFTER_READY"] == "1" {
            say("demo: DEMO_EXIT_AFTER_READY=1: stopping everything")
            cleanup.runAll()
            say("demo: stopped")
            return 0
        }
        say("Press Ctrl-C to stop everything.")
        // Parked until the signal thread stops everything and exits the process.
        DispatchSemaphore(value: 0).wait()
        return 0
    }

    /// Writes a line to stdout at once (no buffering: a pipe or a log file sees it as it happens).
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Blocks SIGINT and SIGTERM in every thread (threads inherit the mask; the children the demo spawns reset it)
    /// and takes them on one thread, which stops everything and exits.
    private static func startSignalThread(cleanup: DemoCleanup) {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let blocked = signals
        let thread = Thread {
            var received: Int32 = 0
            var waited = blocked
            sigwait(&waited, &received)
            say("\ndemo: stopping everything it started…")
            cleanup.runAll()
            say("demo: stopped")
            exit(0)
        }
        thread.start()
    }

    private static func start(cleanup: DemoCleanup) throws {
        let directory = try TemporaryDirectory(prefix: "mtasts-demo")
        cleanup.add { directory.remove() }
        say("demo: starting Knot and Unbound (the test DNS), Pebble (a test ACME CA), PostgreSQL and mtasts serve")
        let zonePort = try FreePort.allocate(udp: true, tcp: true)
        let dns = try DNSTestEnvironment.start(
            zones: [domain, platformZone],
            records: [
                DNSTestRecord(owner: edgeHostname, type: .a, value: "127.0.0.1"),
                DNSTestRecord(owner: domain, type: .mx, value: "10 mx.\(domain)."),
                DNSTestRecord(owner: "mx.\(domain)", type: .a, value: "127.0.0.1"),
            ],
            delegatedZones: [stsZone: zonePort]
        )
        cleanup.add { dns.stop() }
        let edgeHTTPPort = try FreePort.allocate(udp: false, tcp: true)
        let pebble = try PebbleTestEnvironment.start(httpPort: edgeHTTPPort, dnsResolver: dns.resolverAddress)
        cleanup.add { pebble.stop() }
        let pebbleRoot = try directory.write(try pebble.rootCertificatePEM(), to: "pebble-root.pem")
        let edgeHTTPSPort = try FreePort.allocate(udp: false, tcp: true)
        let server = try ServerProcess.start(
            databaseURL: try PostgresTestCluster.shared.makeDatabase(),
            resolver: dns.resolverAddress,
            edgeHostname: edgeHostname,
            edgeHTTPPort: edgeHTTPPort,
            checkCABundle: pebbleRoot,
            environment: [
                "MTASTS_EDGE_HTTPS_LISTEN": "127.0.0.1:\(edgeHTTPSPort)",
                "MTASTS_CHECK_HTTPS_PORT": String(edgeHTTPSPort),
                // mx.demo.test is 127.0.0.1: the checks must not knock on this machine's port 25.
                "MTASTS_CHECK_SMTP_PORT": String(try FreePort.allocate(udp: false, tcp: true)),
                "MTASTS_ACME_DIRECTORY": pebble.directoryURL,
                "MTASTS_ACME_CA_BUNDLE": pebble.caBundlePath,
                "MTASTS_ACME_EMAIL": "ops@\(platformZone)",
                "MTASTS_ACME_HTTP01_PORT": String(edgeHTTPPort),
                "MTASTS_WORKER_SCAN_SECONDS": "1",
                "MTASTS_DNS_ZONE": stsZone,
                "MTASTS_DNS_NS": "ns1.\(platformZone)",
                "MTASTS_DNS_LISTEN": "127.0.0.1:\(zonePort)",
                "MTASTS_DNS_ADMIN_LISTEN": "127.0.0.1:\(try FreePort.allocate(udp: false, tcp: true))",
                // A new id reaches resolvers at once (Unbound caches for 1 s at most anyway).
                "MTASTS_DNS_TTL": "1",
            ],
            directory: directory
        )
        let serverBox = UncheckedSendableBox(value: server)
        cleanup.add { serverBox.value.stop() }

        let policy = try onboard(api: DemoAPI(baseURL: server.baseURL), dns: dns)
        let curl = try fetchPolicy(port: edgeHTTPSPort, caFile: pebbleRoot, directory: directory)
        let sender = try resolveAsASender(dns: dns, port: edgeHTTPSPort, caFile: pebbleRoot, directory: directory)
        say(
            """

            ======================================================================================
             mtasts demo: running on 127.0.0.1 only (logs and data in \(directory.path))
            ======================================================================================

            Web form:  \(server.baseURL)/
                       sign in as \(email) / \(password)
            API:       curl -s \(server.baseURL)/v1/sessions -H 'Content-Type: application/json' \\
                         -d '{"email":"\(email)","password":"\(password)"}'
            DNS:       dig @127.0.0.1 -p \(dns.resolverAddress.port) +short TXT _mta-sts.\(domain)
                       → "v=STSv1; id=\(policy.id)"

            The policy, as a sender fetches it (edge on port \(edgeHTTPSPort) standing in for 443):
              \(curl.command)
            \(curl.output.split(separator: "\n").map { "  | " + $0 }.joined(separator: "\n"))
            POLICY FETCH: \(curl.succeeded ? "ok" : "FAILED")

            A real sender, postfix-mta-sts-resolver (what Postfix uses), resolving \(domain):
              \(sender.command)
              | \(sender.output)
            SENDER RESULT: \(sender.verdict)

            Try next: in the web form, change the policy (mode enforce, another MX) and run the dig above again:
            the platform's zone announces the new id once the edge serves the new policy (RFC 8461 §8.1), with no
            DNS edit by the tenant. docs/api.md has the same journey with curl, docs/operations.md the real setup.
            DEMO READY
            """
        )
    }

    /// The demo tenant: sign-up, the domain added and verified through its TXT proof, the `mta-sts` CNAME, the
    /// certificate issued by Pebble, and the `_mta-sts` TXT with the current id.
    /// - Returns: the current policy's id and text.
    private static func onboard(api anonymous: DemoAPI, dns: DNSTestEnvironment) throws -> (id: String, text: String) {
        say("demo: signing up \(email)")
        let account = try anonymous.expect(
            201,
            .post,
            "/v1/accounts",
            json: ["email": .string(email), "password": .string(password)]
        )
        guard let token = account["token"]?["value"]?.stringValue else {
            throw TestSupportError("sign-up returned no token: \(account.text)")
        }
        var api = anonymous
        api.token = token
        say("demo: adding \(domain) and publishing its ownership proof in the test DNS")
        let added = try api.expect(201, .post, "/v1/domains", json: ["name": .string(domain)])
        guard let proofName = added["verification"]?["name"]?.stringValue,
            let proofValue = added["verification"]?["value"]?.stringValue
        else { throw TestSupportError("no verification record in \(added.text)") }
        try dns.set(zone: domain, owner: proofName, type: .txt, value: proofValue)
        try Poll.until(deadline: 30, "\(domain) verified") {
            try api.send(.post, "/v1/domains/\(domain)/verify").0 == 200
        }
        say("demo: verified; publishing mta-sts.\(domain) CNAME \(edgeHostname), waiting for the certificate")
        try dns.set(zone: domain, owner: "mta-sts.\(domain)", type: .cname, value: edgeHostname + ".")
        var certificate: JSONValue?
        try Poll.until(deadline: 120, "the certificate of mta-sts.\(domain) issued (last: \(certificate?.text ?? "-"))")
        {
            certificate = try api.send(.get, "/v1/domains/\(domain)/certificate").1
            return certificate?["status"]?.stringValue == "issued"
        }
        say("demo: certificate issued by \(certificate?["issuer"]?.stringValue ?? "?")")
        let policy = try api.expect(200, .get, "/v1/domains/\(domain)/policy")
        guard let id = policy["id"]?.stringValue, let text = policy["text"]?.stringValue else {
            throw TestSupportError("no policy id or text in \(policy.text)")
        }
        // The records the API asks for: _mta-sts as a CNAME into the platform's zone, which announces each id.
        let records = try api.expect(200, .get, "/v1/domains/\(domain)/dns-records")
        let stsRecord = records["records"]?.arrayValue?.first { $0["name"]?.stringValue == "_mta-sts.\(domain)" }
        guard let target = stsRecord?["delegation"]?["value"]?.stringValue else {
            throw TestSupportError("no CNAME into \(stsZone) offered for _mta-sts.\(domain): \(records.text)")
        }
        try dns.set(zone: domain, owner: "_mta-sts.\(domain)", type: .cname, value: target + ".")
        say("demo: published _mta-sts.\(domain) CNAME \(target) (the platform's zone announces id \(id))")
        return (id, text)
    }

    /// `curl` fetching the policy over HTTPS, trusting Pebble's root, with the edge's port in `--resolve`.
    private static func fetchPolicy(
        port: UInt16,
        caFile: String,
        directory: TemporaryDirectory
    ) throws -> (command: String, output: String, succeeded: Bool) {
        let curl = try Requirement.executable("curl", installHint: "apt-get install -y curl (make deps)")
        let host = "mta-sts.\(domain)"
        let arguments = [
            "--silent", "--show-error", "--fail", "--cacert", caFile, "--resolve", "\(host):\(port):127.0.0.1",
            "https://\(host):\(port)/.well-known/mta-sts.txt",
        ]
        let (termination, output) = try ManagedProcess.run(
            name: "curl",
            executable: curl,
            arguments: arguments,
            logDirectory: directory.path
        )
        let command = "curl " + arguments.map { $0.hasPrefix("--") ? $0 : "'\($0)'" }.joined(separator: " ")
        return (command, output.replacingOccurrences(of: "\r", with: ""), termination == .exited(0))
    }

    /// postfix-mta-sts-resolver from the repository's `.venv`, through the driver the sender tests use
    /// (`Tests/SenderTests/Scripts/sts_query.py`: the test DNS, and the edge's port for 443).
    private static func resolveAsASender(
        dns: DNSTestEnvironment,
        port: UInt16,
        caFile: String,
        directory: TemporaryDirectory
    ) throws -> (command: String, output: String, verdict: String) {
        let python = RepositoryPaths.root.path + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing: run `make deps` (it installs postfix-mta-sts-resolver)")
        }
        let script = RepositoryPaths.root.path + "/Tests/SenderTests/Scripts/sts_query.py"
        let arguments = [
            script, "--nameserver", dns.resolverAddress.description, "--edge-port", String(port),
            "--zone", domain, "--zone", platformZone, "--ca-file", caFile, domain,
        ]
        var output = ""
        var verdict = "no answer"
        var attempt = 0
        // Unbound may still hold "no such name" for _mta-sts from before it was published (TEST-ENV.md).
        try? Poll.until(deadline: 20, interval: .milliseconds(500), "postfix-mta-sts-resolver finds a VALID policy") {
            attempt += 1
            let (termination, text) = try ManagedProcess.run(
                name: "sts-query-\(attempt)",
                executable: python,
                arguments: arguments,
                logDirectory: directory.path
            )
            output = text.split(separator: "\n").last { $0.hasPrefix("{") }.map(String.init) ?? text
            guard termination == .exited(0), let json = try? JSONParser.parse(Array(output.utf8)) else { return false }
            let status = json["status"]?.stringValue ?? "?"
            let mode = json["policy"]?["mode"]?.stringValue ?? "-"
            let mx = json["policy"]?["mx"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ",") ?? "-"
            verdict = "\(status) (id \(json["policy_id"]?.stringValue ?? "-"), mode \(mode), mx \(mx))"
            return status == "VALID"
        }
        return (".venv/bin/python " + arguments.joined(separator: " "), output, verdict)
    }
}

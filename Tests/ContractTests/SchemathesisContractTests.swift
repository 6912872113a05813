import DNS
import Foundation
import HTTPCore
import TestSupport
import Testing
import WebClient

/// `docs/openapi.yaml` is the API's exact contract: Schemathesis (`--checks all`) generates valid and invalid
/// requests from it against the real server and finds nothing.
///
/// The API runs alone (`mtasts api`: no worker, so no certificate orders, no checks by the worker and no webhook
/// deliveries) on loopback ports against a throwaway PostgreSQL database, with the sign-up, login and check limits
/// raised so the generator is not throttled, and Knot for its live DNS lookups. Knot answers for the test zone and
/// refuses every other name, so a name the generator invents never leaves the machine (a recursive resolver would
/// ask the internet's root servers): the checks `POST /v1/checks` runs reach at most the test zone's MX host on
/// 127.0.0.1. The account the run acts as holds two verified domains and a pending one, which
/// `Scripts/schemathesis.toml` feeds to half of the `{name}` parameters; `Scripts/contract_hooks.py` keeps a session
/// of it on every authenticated request, lets DELETE offboard only one of the domains, and checks that a valid
/// request is refused only for a reason of state.
///
/// The run is deterministic and bounded: a fixed ``seed`` and ``maximumExamples`` per operation make each phase
/// (examples, coverage, fuzzing, stateful) run once: about 85 s for the 40 operations alone on two cores, up to
/// about three minutes beside the rest of `make test`. ``deadline`` only stops a run that hangs.
@Suite struct SchemathesisContractTests {
    /// Hypothesis' seed: the same requests every run, so a failure reproduces with the same command.
    static let seed = "20261130"
    /// Test cases per operation and phase (`--max-examples`).
    static let maximumExamples = 30
    /// Seconds after which a run still going counts as hung and is killed.
    static let deadline = 450.0
    /// The pinned release `make deps` installs into `.venv`.
    static let installHint = "make deps (python3 -m venv .venv && .venv/bin/pip install schemathesis==4.32.5)"
    static let zone = "contract.test"
    /// A domain the account verifies before the run: its policy, history and records exist.
    static let verifiedDomain = "live.contract.test"
    /// A domain the account adds but never verifies.
    static let pendingDomain = "pending.contract.test"
    /// A verified domain only `DELETE /v1/domains/{name}` is given, so that offboarding it leaves the others alone.
    static let doomedDomain = "doomed.contract.test"
    static let verifiedDomains = [verifiedDomain, doomedDomain]
    static let email = "contract@example.com"
    static let password = "contract password long enough"

    static let records: [DNSTestRecord] = [
        DNSTestRecord(owner: verifiedDomain, type: .mx, value: "10 mx1.\(verifiedDomain)."),
        DNSTestRecord(owner: "mx1.\(verifiedDomain)", type: .a, value: "127.0.0.1"),
        DNSTestRecord(owner: pendingDomain, type: .mx, value: "10 mx1.\(verifiedDomain)."),
        DNSTestRecord(owner: doomedDomain, type: .mx, value: "10 mx1.\(verifiedDomain)."),
    ]

    @Test func openAPIDocumentMatchesTheServer() throws {
        let directory = try TemporaryDirectory(prefix: "contract")
        defer { directory.remove() }
        let schemathesis = RepositoryPaths.root.appendingPathComponent(".venv/bin/schemathesis").path
        guard FileManager.default.isExecutableFile(atPath: schemathesis) else {
            throw TestSupportError("\(schemathesis) is missing; install it with: \(Self.installHint)")
        }
        let dns = try DNSTestEnvironment.start(zones: [Self.zone], records: Self.records)
        defer { dns.stop() }
        let server = try ServerProcess.start(
            databaseURL: try PostgresTestCluster.shared.makeDatabase(),
            resolver: dns.authoritativeAddress,
            edgeHostname: "edge.\(Self.zone)",
            environment: [
                "MTASTS_SIGNUP_LIMIT_PER_ADDRESS": "100000",
                "MTASTS_SIGNUP_LIMIT_GLOBAL": "1000000",
                "MTASTS_LOGIN_LIMIT_PER_ADDRESS": "100000",
                "MTASTS_DOMAIN_LIMIT": "100000",
                "MTASTS_CHECK_LIMIT_PER_ADDRESS": "100000",
                "MTASTS_LOG_LEVEL": "warning",
            ],
            directory: directory,
            // The API alone: no worker to order certificates or deliver the webhook events the run creates.
            command: "api"
        )
        defer { server.stop() }
        try prepareAccount(on: server, dns: dns)

        let scripts = RepositoryPaths.root.appendingPathComponent("Tests/ContractTests/Scripts").path
        let arguments = [
            "--config-file", scripts + "/schemathesis.toml", "--no-color",
            "run", RepositoryPaths.root.appendingPathComponent("docs/openapi.yaml").path,
            "--url", server.baseURL, "--checks", "all",
            "--seed", Self.seed, "--max-examples", String(Self.maximumExamples),
            // One request at a time: the account may run two live-DNS requests at once (429 beyond).
            "--workers", "1", "--request-timeout", "20", "--generation-database", "none",
        ]
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.path,
            "PYTHONPATH": scripts,
            // The hooks are imported from the source tree: no __pycache__ there.
            "PYTHONDONTWRITEBYTECODE": "1",
            "SCHEMATHESIS_HOOKS": "contract_hooks",
            "HYPOTHESIS_STORAGE_DIRECTORY": directory.path("hypothesis"),
            "MTASTS_CONTRACT_BASE_URL": server.baseURL,
            "MTASTS_CONTRACT_EMAIL": Self.email,
            "MTASTS_CONTRACT_PASSWORD": Self.password,
        ]
        let run = try ManagedProcess.launch(
            name: "schemathesis",
            executable: schemathesis,
            arguments: arguments,
            environment: environment,
            logDirectory: directory.path
        )
        defer { run.terminate() }
        var termination: ManagedProcess.Termination?
        try? Poll.until(deadline: Self.deadline, interval: .milliseconds(200), "schemathesis exits") {
            termination = run.poll()
            return termination != nil
        }
        let output = run.standardOutput() + run.standardError()
        // The failures with their curl reproductions, then the summary; the progress lines before them only
        // when nothing failed.
        let start = output.range(of: "= FAILURES =")?.lowerBound ?? output.startIndex
        let report = output[start...].split(separator: "\n", omittingEmptySubsequences: false).prefix(400)
            .joined(separator: "\n")
        #expect(termination != nil, "schemathesis still ran after \(Self.deadline) s:\n\(report)")
        #expect(
            termination == .exited(0),
            "schemathesis found contract failures:\n\(report)\nserver log:\n\(server.logTail())"
        )
        let selected = output.firstMatch(of: /Selected: (\d+)\/(\d+)/)
        let tested = output.firstMatch(of: /Tested: (\d+)/)
        #expect(
            selected != nil && selected?.1 == selected?.2 && tested?.1 == selected?.2,
            "every documented operation is exercised:\n\(report)"
        )
    }

    /// Signs up the account the run acts as, adds the pending domain and the verified ones (their ownership
    /// record published in Knot first).
    private func prepareAccount(on server: ServerProcess, dns: DNSTestEnvironment) throws {
        let client = try HTTPClient()
        func send(
            _ method: HTTPMethod,
            _ path: String,
            _ body: [String: String]? = nil,
            token: String? = nil
        ) throws
            -> (status: Int, json: [String: Any])
        {
            var headers: HTTPFields = [:]
            if let token { headers[.authorization] = "Bearer \(token)" }
            var bytes: [UInt8] = []
            if let body {
                headers[.contentType] = "application/json"
                bytes = Array(try JSONSerialization.data(withJSONObject: body))
            }
            let response = try client.send(
                try ClientRequest(method: method, url: server.baseURL + path, headers: headers, body: bytes)
            )
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
            return (response.status.code, json ?? [:])
        }
        let signUp = try send(.post, "/v1/accounts", ["email": Self.email, "password": Self.password])
        let token = try #require((signUp.json["token"] as? [String: Any])?["value"] as? String, "\(signUp)")
        for name in [Self.pendingDomain] + Self.verifiedDomains {
            let added = try send(.post, "/v1/domains", ["name": name], token: token)
            try #require(added.status == 201, "\(added)")
            guard Self.verifiedDomains.contains(name) else { continue }
            let proof = try #require((added.json["verification"] as? [String: Any])?["value"] as? String)
            try dns.set(zone: Self.zone, owner: "_mtasts-verify.\(name)", type: .txt, value: proof)
            // Knot has the record at once; a lookup just before could still be cached for a second.
            try Poll.until(deadline: 20, interval: .milliseconds(500), "\(name) verified") {
                try send(.post, "/v1/domains/\(name)/verify", token: token).status == 200
            }
        }
    }
}

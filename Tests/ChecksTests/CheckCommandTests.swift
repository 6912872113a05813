import DNS
import Foundation
import TestSupport
import Testing

/// `mtasts check` as an operator runs it, against the shared fixtures: the exit status says whether there are
/// errors, `--json` prints the API's document, and a check that cannot run says so with status 2.
@Suite struct CheckCommandTests {
    /// Runs the built binary with the check's variables pointing at the fixtures.
    private func run(_ arguments: [String], resolvers: String? = nil) throws -> (status: Int32, output: String) {
        let environment = try CheckFixtures.environment()
        let binary = RepositoryPaths.debugBinary.path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError("\(binary) is missing: run `swift build` first (make test does)")
        }
        let directory = try TemporaryDirectory(prefix: "check-command")
        let process = try ManagedProcess.launch(
            name: "mtasts-check",
            executable: binary,
            arguments: ["check"] + arguments,
            environment: [
                "PATH": "/usr/bin:/bin",
                "MTASTS_DNS_RESOLVERS": resolvers ?? environment.dns.resolverAddress.description,
                "MTASTS_CHECK_CA_BUNDLE": environment.caPath,
                "MTASTS_CHECK_HTTPS_PORT": String(environment.nginx.port),
                "MTASTS_EDGE_HOSTNAME": CheckFixtures.edgeHostname,
                "MTASTS_ACME_CAA_IDENTITIES": CheckFixtures.caaIdentity,
                "MTASTS_CHECK_TIMEOUT": "10",
            ],
            logDirectory: directory.path
        )
        var termination: ManagedProcess.Termination?
        try Poll.until(deadline: 60, "mtasts check exits") {
            termination = process.poll()
            return termination != nil
        }
        guard case .exited(let status) = termination else {
            throw TestSupportError("mtasts check ended with \(String(describing: termination))")
        }
        return (status, process.standardOutput() + process.standardError())
    }

    @Test func theExitStatusSaysWhetherThereAreErrors() throws {
        let clean = try run(["clean.example.test", "--skip-smtp"])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("clean.example.test: 0 errors, 0 warnings, 0 info"))
        #expect(clean.output.contains("No problems found"))

        let redirect = try run(["redirect.example.test", "--skip-smtp"])
        #expect(redirect.status == 1)
        #expect(redirect.output.contains("ERROR   policy-redirect\n"))
        #expect(redirect.output.contains("fix: Serve the policy itself at"))

        let json = try run(["redirect.example.test", "--skip-smtp", "--json"])
        #expect(json.status == 1)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any],
            "\(json.output)"
        )
        #expect(document["domain"] as? String == "redirect.example.test")
        let codes = (document["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("policy-redirect"))
    }

    @Test func aCheckThatCannotRunEndsWithStatusTwo() throws {
        let invalid = try run(["not a domain"])
        #expect(invalid.status == 2 && invalid.output.contains("is not a domain name"))
        let port = try FreePort.allocate(tcp: false)
        let silent = try run(["clean.example.test", "--skip-smtp"], resolvers: "127.0.0.1:\(port)")
        #expect(silent.status == 2, "\(silent.output)")
        #expect(silent.output.contains("dns-lookup-failed"))
        #expect(try run([]).status == 2)
    }
}

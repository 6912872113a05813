import Crypto
import Database
import Foundation
import TestSupport
import Testing

/// Runs the built `mtasts` binary as an operator would.
@Suite struct CLITests {
    private func mtasts(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        try MTASTSBinary.run(arguments, environment: environment)
    }

    @Test(arguments: ["serve", "api", "edge", "worker", "migrate", "admin", "version"])
    func everyCommandHasHelp(command: String) throws {
        let (status, output) = try mtasts([command, "--help"])
        #expect(status == 0)
        #expect(output.contains("usage: mtasts"))
    }

    @Test func unknownCommandsAndOptionsAreUsageErrors() throws {
        let (status, output) = try mtasts(["frobnicate"])
        #expect(status == 64)
        #expect(output.contains("unknown command 'frobnicate'"))
        let (optionStatus, optionOutput) = try mtasts(["migrate", "--bogus"])
        #expect(optionStatus == 64)
        #expect(optionOutput.contains("--bogus"))
    }

    @Test func badConfigurationNamesTheVariable() throws {
        let (status, output) = try mtasts(["migrate"], environment: ["MTASTS_DOMAIN_LIMIT": "lots"])
        #expect(status == 78)
        #expect(output.contains("MTASTS_DOMAIN_LIMIT"))
    }

    @Test func migrateThenCheckAgainstAConfiguredDatabase() throws {
        let url = try PostgresTestCluster.shared.makeEmptyDatabase()
        let environment = ["MTASTS_DATABASE_URL": url, "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path]
        let (pendingStatus, pendingOutput) = try mtasts(["migrate", "--check"], environment: environment)
        #expect(pendingStatus == 1)
        #expect(pendingOutput.contains("pending 0001_core_schema"))
        let (status, output) = try mtasts(["migrate"], environment: environment)
        #expect(status == 0)
        #expect(output.contains("applied migration"))
        let (checkStatus, checkOutput) = try mtasts(["migrate", "--check"], environment: environment)
        #expect(checkStatus == 0)
        #expect(checkOutput.contains("schema is up to date"))
    }

    @Test func adminInvitePrintsCodesWhoseDigestsAloneAreStored() throws {
        let url = try PostgresTestCluster.shared.makeEmptyDatabase()
        let environment = ["MTASTS_DATABASE_URL": url, "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path]
        let (status, output) = try mtasts(
            ["admin", "invite", "--count", "3", "--valid-days", "2"],
            environment: environment
        )
        #expect(status == 0)
        let codes = output.split(separator: "\n").filter { $0.hasPrefix("inv_") }.map(String.init)
        #expect(codes.count == 3 && Set(codes).count == 3)
        let connection = try PostgresConnection(connectionString: url)
        let rows = try connection.query(
            "SELECT code_sha256, extract(epoch FROM expires_at - created_at)::float8 FROM invitations"
        )
        let stored = Set(try rows.map { try $0.decode(PostgresBytes.self, at: 0).bytes })
        #expect(stored == Set(codes.map { Digest.sha256($0) }))
        #expect(try rows.map { try $0.decode(Double.self, at: 1) } == [172_800, 172_800, 172_800])
        let (usage, message) = try mtasts(["admin", "invite", "--count", "0"], environment: environment)
        #expect(usage == 64 && message.contains("--count"))
        let (jsonStatus, json) = try mtasts(["admin", "invite", "--count", "2", "--json"], environment: environment)
        #expect(jsonStatus == 0)
        // Standard output (the one JSON line) comes first; the migration's log lines follow on standard error.
        let line = json.split(separator: "\n").first.map(String.init) ?? ""
        let document = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        let jsonCodes = document?["codes"] as? [String] ?? []
        #expect(jsonCodes.count == 2 && jsonCodes.allSatisfy { $0.hasPrefix("inv_") })
        #expect(document?["expires_at"] is String && document?["signup"] as? String == "open")
    }

    @Test func theAPIRefusesPlainHTTPBeyondLoopbackUnlessAskedFor() throws {
        let (status, output) = try mtasts(["api"], environment: ["MTASTS_API_LISTEN": "0.0.0.0:0"])
        #expect(status == 78)
        #expect(output.contains("MTASTS_API_HOSTNAME") && output.contains("MTASTS_API_PLAIN_HTTP=on"))
        let (both, bothOutput) = try mtasts(
            ["api"],
            environment: ["MTASTS_API_HOSTNAME": "api.example.test", "MTASTS_API_PLAIN_HTTP": "on"]
        )
        #expect(both == 78 && bothOutput.contains("not both"))
    }

    @Test func versionPrintsTheVersion() throws {
        let (status, output) = try mtasts(["version"])
        #expect(status == 0)
        #expect(output.hasPrefix("mtasts "))
    }

    @Test func readmeDocumentsEveryVariable() throws {
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let sources = try String(
            contentsOf: RepositoryPaths.root.appendingPathComponent(
                "Sources/Configuration/PlatformConfiguration.swift"
            ),
            encoding: .utf8
        )
        let variables = Set(sources.matches(of: /"(MTASTS_[A-Z_]+)"/).map { String($0.1) })
        #expect(variables.count >= 10)
        for variable in variables.sorted() {
            #expect(readme.contains("`\(variable)`"), "README lacks \(variable)")
        }
    }
}

import Foundation
import ReportIntake
import Store
import TestSupport
import Testing

/// `mtasts reports import` as an MTA's pipe transport runs it (the built binary, the message on stdin, the
/// envelope recipient as an argument): a report is spooled and later imported as `.import`, and the exit status
/// tells the MTA what to do (sysexits: 0 delivered, 65 not a report, 67 unknown address, 64 a usage mistake, 75
/// retry later when the fault is on this side).
@Suite struct ReportImportCommandTests {
    /// Runs `mtasts reports import <arguments> < fixtureName` against the fixture's database and spool.
    /// - Parameter overrides: environment variables set on top of (or, empty, removed from) the fixture's.
    /// - Returns: the exit status and standard output followed by standard error.
    private func mtastsImport(
        _ arguments: [String],
        message fixtureName: String,
        fixture: IntakeFixture,
        overrides: [String: String] = [:],
        rewrite: (String) -> String = { $0 }
    ) throws -> (status: Int32, output: String) {
        let binary = RepositoryPaths.debugBinary.path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError("\(binary) is missing: run `swift build` before `swift test` (make test does)")
        }
        let directory = try TemporaryDirectory(prefix: "reports-import")
        let message = try directory.write(
            rewrite(String(decoding: try IntakeFixture.fixture(fixtureName), as: UTF8.self)),
            to: fixtureName
        )
        // Only what a pipe transport's environment would hold; nothing may land in the working directory.
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "MTASTS_DATABASE_URL": fixture.url,
            "MTASTS_REPORTS_HOSTNAME": "reports.example.net",
            "MTASTS_REPORTS_MAIL_DOMAIN": "reports.example.net",
            "MTASTS_REPORTS_SPOOL_DIR": fixture.directory,
            "MTASTS_DATA_DIR": directory.path("data"),
            "MTASTS_SECRET_KEY_FILE": directory.path("data/secret.key"),
        ].merging(overrides) { _, override in override }.filter { !$0.value.isEmpty }
        let process = try ManagedProcess.launch(
            name: "mtasts-reports-import",
            executable: binary,
            arguments: ["reports", "import"] + arguments,
            environment: environment,
            standardInputPath: message,
            logDirectory: directory.path
        )
        var termination: ManagedProcess.Termination?
        try Poll.until(deadline: 20, interval: .milliseconds(10), "mtasts reports import exits") {
            termination = process.poll()
            return termination != nil
        }
        let output = process.standardOutput() + process.standardError()
        guard case .exited(let status) = termination else {
            throw TestSupportError("mtasts reports import ended with \(String(describing: termination)): \(output)")
        }
        #expect(
            !FileManager.default.fileExists(atPath: directory.path("data")),
            "reports import created MTASTS_DATA_DIR"
        )
        return (status, output)
    }

    @Test func aPipedReportIsSpooledThenImportedAsImport() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let (status, output) = try mtastsImport(
            ["--recipient", "\(fixture.token)@Reports.Example.NET"],
            message: "google-report.eml",
            fixture: fixture
        )
        #expect(status == 0, "\(output)")
        #expect(output.contains("spooled 1 report"), "\(output)")

        let reception = try fixture.reception()
        #expect(reception.spool.usage.files == 1)
        let importer = ReportImporter(spool: reception.spool, store: fixture.store, logger: fixture.logger)
        #expect(importer.importPending().imported == 1)
        let stored = try fixture.store.reports.list(
            domainID: fixture.domain.id,
            from: Date(timeIntervalSince1970: 0),
            to: Date(timeIntervalSince1970: 4_000_000_000),
            limit: 5
        )
        let report = try #require(stored.first)
        #expect(stored.count == 1)
        #expect(report.channel == .import)
        #expect(report.organizationName == "Google Inc.")
        #expect(report.successfulSessions == 117 && report.failedSessions == 3)
    }

    @Test func theExitStatusTellsTheMTAWhatHappened() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }

        let unknown = try mtastsImport(
            ["--recipient", "ffffffffffffffffffffffff@reports.example.net"],
            message: "google-report.eml",
            fixture: fixture
        )
        #expect(unknown.status == 67, "\(unknown.output)")
        #expect(unknown.output.contains("no domain receives reports"), "\(unknown.output)")

        let notAReport = try mtastsImport(["--token", fixture.token], message: "no-report.eml", fixture: fixture)
        #expect(notAReport.status == 65, "\(notAReport.output)")
        #expect(notAReport.output.contains("not a TLS report"), "\(notAReport.output)")

        let noAddress = try mtastsImport([], message: "no-report.eml", fixture: fixture)
        #expect(noAddress.status == 64, "\(noAddress.output)")
        #expect(noAddress.output.contains("--recipient"), "\(noAddress.output)")
        // Without --recipient, an address of the reports domain in the header names the token.
        let fromHeader = try mtastsImport([], message: "google-report.eml", fixture: fixture) { message in
            message.replacingOccurrences(
                of: "To: 0123456789abcdef01234567@reports.example.net",
                with: "To: TLS reports <\(fixture.token)@Reports.Example.NET>"
            )
        }
        #expect(fromHeader.status == 0, "\(fromHeader.output)")
        #expect(try fixture.reception().spool.usage.files == 1)
        let reception = try fixture.reception()
        for name in reception.spool.pending(limit: 5) { try reception.spool.remove(name) }

        #expect(try fixture.reception().spool.usage.files == 0)
    }

    @Test func whatIsWrongOnThisSideDefersInsteadOfBouncing() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let nowhere = try TemporaryDirectory(prefix: "no-postgres")
        let unreachable = ["MTASTS_DATABASE_URL": "host=\(nowhere.path) user=postgres dbname=mtasts"]

        // PostgreSQL does not answer and no token cache exists yet: a bounce would lose the report.
        let outage = try mtastsImport(
            ["--token", fixture.token],
            message: "google-report.eml",
            fixture: fixture,
            overrides: unreachable
        )
        #expect(outage.status == 75, "\(outage.output)")
        #expect(outage.output.contains("Retry later"), "\(outage.output)")

        // Once a run has cached the tokens in the spool, the same outage no longer stops delivery.
        let cached = try mtastsImport(["--token", fixture.token], message: "google-report.eml", fixture: fixture)
        #expect(cached.status == 0, "\(cached.output)")
        let duringOutage = try mtastsImport(
            ["--token", fixture.token],
            message: "google-report.eml",
            fixture: fixture,
            overrides: unreachable
        )
        #expect(duringOutage.status == 0, "\(duringOutage.output)")
        let stillUnknown = try mtastsImport(
            ["--recipient", "ffffffffffffffffffffffff@reports.example.net"],
            message: "google-report.eml",
            fixture: fixture,
            overrides: unreachable
        )
        #expect(stillUnknown.status == 75, "\(stillUnknown.output)")

        // A configuration mistake: Postfix's pipe would bounce EX_CONFIG (78), so it is 75 here.
        let misconfigured = try mtastsImport(
            ["--token", fixture.token],
            message: "google-report.eml",
            fixture: fixture,
            overrides: ["MTASTS_REPORTS_HOSTNAME": ""]
        )
        #expect(misconfigured.status == 75, "\(misconfigured.output)")
        #expect(misconfigured.output.contains("MTASTS_REPORTS_HOSTNAME"), "\(misconfigured.output)")
        #expect(try fixture.reception().spool.usage.files == 2)
    }
}

import Checks
import Testing

/// The mail-path findings: the live MX records against the policy's patterns, by RFC 8461 §4.1's rule that a
/// wildcard covers exactly one label.
@Suite struct CheckMailFindingsTests {
    private let environment: CheckEnvironment

    init() throws {
        environment = try CheckFixtures.environment()
    }

    @Test func anMXHostNoPatternMatchesIsAnErrorInEnforce() throws {
        let report = try environment.check("uncovered")
        #expect(report.codes == [.mxUncovered], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "mx_host"] == .string("backup.elsewhere.example.net"))
        #expect(
            finding[detail: "patterns"] == .strings(["mx1.uncovered.example.test", "*.mail.uncovered.example.test"])
        )
        #expect(finding.fix.hasPrefix("Add \"mx: backup.elsewhere.example.net\""), "\(finding.fix)")
    }

    @Test func anMXHostNoPatternMatchesIsAWarningInTesting() throws {
        let report = try environment.check("uncovered-testing")
        #expect(report.codes == [.mxUncovered], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding[detail: "mx_host"] == .string("backup.elsewhere.example.net"))
    }

    @Test func aPatternMatchingNoMXHostIsStale() throws {
        let report = try environment.check("stale")
        #expect(report.codes == [.mxPatternStale], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding[detail: "pattern"] == .string("mx.retired.example.net"))
        #expect(finding[detail: "mx_hosts"] == .strings(["mx1.stale.example.test", "in.mail.stale.example.test"]))
    }

    @Test func noMXRecordsIsAWarning() throws {
        let report = try environment.check("no-mx")
        #expect(report.codes == [.mxMissing], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding[detail: "domain"] == .string("no-mx.example.test"))
        #expect(report.observed.mxHosts == [])
    }

    @Test func aNullMXIsInfo() throws {
        let report = try environment.check("null-mx")
        #expect(report.codes == [.mxMissing], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .info)
        #expect(finding.message.contains("null MX"), "\(finding.message)")
        #expect(report.observed.mxHosts == [])
    }

    /// `*.mx.wildcard.example.test` covers `a.mx.wildcard.example.test` but not `b.a.mx.wildcard.example.test`.
    @Test func aWildcardCoversExactlyOneLabel() throws {
        let report = try environment.check("wildcard")
        #expect(report.observed.mxHosts == ["a.mx.wildcard.example.test", "b.a.mx.wildcard.example.test"])
        #expect(report.codes == [.mxUncovered], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "mx_host"] == .string("b.a.mx.wildcard.example.test"))
        #expect(finding[detail: "patterns"] == .strings(["*.mx.wildcard.example.test"]))
    }
}

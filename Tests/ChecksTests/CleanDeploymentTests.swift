import Checks
import MTASTS
import Testing

/// The clean deployment (see ``FixtureDomain``) gives a report without a single finding, hosted or not, and the
/// observations a sender would make; every other suite's fixture differs from it in one way.
@Suite struct CleanDeploymentTests {
    private let environment: CheckEnvironment

    init() throws {
        environment = try CheckFixtures.environment()
    }

    @Test func aCleanDomainHasNoFindings() throws {
        let report = try environment.check("clean")
        #expect(report.findings.isEmpty, "\(report.summary)")
        #expect(report.worstSeverity == nil)
        #expect(!report.hosted)
    }

    @Test func aCleanHostedDomainHasNoFindings() throws {
        let domain = try CheckFixtures.domain("clean")
        let report = try environment.check("clean", hosted: domain.hosted())
        #expect(report.findings.isEmpty, "\(report.summary)")
        #expect(report.hosted)
    }

    @Test func theReportRecordsWhatASenderSees() throws {
        let domain = try CheckFixtures.domain("clean")
        let observed = try environment.check("clean").observed
        #expect(observed.stsRecord.txtRecords == [["v=STSv1; id=idclean"]])
        #expect(observed.tlsrptRecord.txtRecords == [["v=TLSRPTv1; rua=mailto:tlsrpt@clean.example.test"]])
        #expect(observed.policyHostAliases == [CheckFixtures.edgeHostname])
        #expect(observed.policyFetch == .response(status: 200, body: domain.policyText))
        let policy = try #require(observed.policy)
        #expect(policy.mode == .enforce)
        #expect(policy.maxAge == 604_800)
        #expect(policy.mx.map(\.description) == ["mx1.clean.example.test", "*.mail.clean.example.test"])
        #expect(observed.mxHosts == ["mx1.clean.example.test", "in.mail.clean.example.test"])
    }
}

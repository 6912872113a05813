import Checks
import Foundation
import SystemIO
import TestSupport
import Testing

/// The HTTPS findings: nginx serves each fixture's policy host with one thing wrong (transport, certificate,
/// response or policy text), and the report names exactly that.
@Suite struct CheckPolicyFindingsTests {
    private let environment: CheckEnvironment

    init() throws {
        environment = try CheckFixtures.environment()
    }

    private func url(_ label: String) -> String {
        "https://mta-sts.\(label).example.test:\(environment.nginx.port)/.well-known/mta-sts.txt"
    }

    // MARK: Fetching

    /// For any domain only the failed fetch (a name that resolves nowhere is not "hosted elsewhere"); for a hosted
    /// domain also the missing CNAME to the edge.
    @Test func aPolicyHostThatDoesNotExistCannotBeFetchedForDNS() throws {
        let report = try environment.check("no-policy-host")
        #expect(report.codes == [.policyFetchFailed], "\(report.summary)")
        let fetch = try #require(report.findings.first)
        #expect(fetch.severity == .error)
        #expect(fetch[detail: "reason"] == .string("dns"))
        #expect(fetch[detail: "url"] == .string(url("no-policy-host")))
        #expect(fetch.fix.hasPrefix("Publish the policy host's record"), "\(fetch.fix)")
        guard case .failed = report.observed.policyFetch else {
            Issue.record("fetched: \(report.observed.policyFetch)")
            return
        }

        let hosted = try environment.check(
            "no-policy-host",
            hosted: try CheckFixtures.domain("no-policy-host").hosted()
        )
        #expect(Set(hosted.codes) == [.policyFetchFailed, .policyHostNotPointingHere], "\(hosted.summary)")
        let host = try #require(hosted.findings(.policyHostNotPointingHere).first)
        #expect(host.severity == .error)
        #expect(host.message.hasPrefix("mta-sts.no-policy-host.example.test does not exist"), "\(host.message)")
    }

    @Test func aPortWhereNothingListensCannotBeFetchedForConnect() throws {
        let closed = try FreePort.allocate(udp: false, tcp: true)
        let engine = try environment.makeEngine(httpsPort: closed)
        let report = try environment.check("clean", engine: engine)
        #expect(report.codes == [.policyFetchFailed], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "reason"] == .string("connect"))
        #expect(finding.fix.contains("reachable on port \(closed)."), "\(finding.fix)")
    }

    /// A listener that accepts connections (the kernel completes the handshake) but never answers.
    @Test func aServerThatNeverAnswersCannotBeFetchedForTimeout() throws {
        let silent = try ServerSocket(bindingTo: try SocketAddress(ipAddress: "127.0.0.1", port: 0), backlog: 8)
        defer { try? silent.close() }
        let engine = try environment.makeEngine(httpsPort: silent.localAddress.port, timeout: .seconds(1))
        let report = try environment.check("clean", engine: engine)
        #expect(report.codes == [.policyFetchFailed], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "reason"] == .string("timeout"))
    }

    @Test func aPlainHTTPServerCannotBeFetchedForTLS() throws {
        let report = try environment.check("plain-http")
        #expect(Set(report.codes) == [.policyFetchFailed, .policyHostNotPointingHere], "\(report.summary)")
        let finding = try #require(report.findings(.policyFetchFailed).first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "reason"] == .string("tls"))
    }

    // MARK: Certificate and TLS

    @Test func anExpiredCertificateIsInvalid() throws {
        let report = try environment.check("expired")
        #expect(report.codes == [.policyCertInvalid], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "reason"] == .string("certificate has expired"))
        #expect(finding.message.contains("has expired"), "\(finding.message)")
    }

    @Test func aCertificateForAnotherNameIsInvalid() throws {
        let report = try environment.check("wrong-name")
        #expect(report.codes == [.policyCertInvalid], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "reason"] == .string("hostname mismatch"))
        #expect(finding.message.contains("does not name mta-sts.wrong-name.example.test"), "\(finding.message)")
    }

    @Test func aCertificateFromAnUntrustedCAIsInvalid() throws {
        let report = try environment.check("untrusted")
        #expect(report.codes == [.policyCertInvalid], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding.message.contains("does not chain to a trusted root"), "\(finding.message)")
    }

    @Test func aCertificateValidForFiveMoreDaysIsExpiring() throws {
        let report = try environment.check("expiring")
        #expect(report.codes == [.policyCertExpiring], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding[detail: "days_left"] == .integer(5))
        let notAfter = Date(timeIntervalSince1970: TimeInterval(environment.authorities.now + 5 * 86_400 + 3_600))
        #expect(finding[detail: "not_after"] == .string(notAfter.formatted(.iso8601)))
    }

    @Test func aHostOfferingOnlyTLS1And11FailsOnTheVersion() throws {
        let report = try environment.check("old-tls")
        #expect(Set(report.codes) == [.policyTLSVersion, .policyHostNotPointingHere], "\(report.summary)")
        let finding = try #require(report.findings(.policyTLSVersion).first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "host"] == .string("mta-sts.old-tls.example.test"))
    }

    // MARK: Response

    @Test func aRedirectIsAnErrorNamingTheLocation() throws {
        let report = try environment.check("redirect")
        #expect(report.codes == [.policyRedirect], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "status"] == .integer(301))
        #expect(finding[detail: "location"] == .string("https://policies.example.net/redirect.txt"))
        #expect(finding[detail: "url"] == .string(url("redirect")))
    }

    @Test func a404IsAStatusError() throws {
        let report = try environment.check("not-found")
        #expect(report.codes == [.policyStatus], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "status"] == .integer(404))
    }

    @Test func htmlIsTheWrongContentType() throws {
        let report = try environment.check("html")
        #expect(report.codes == [.policyContentType], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "content_type"] == .string("text/html"))
        #expect(report.observed.policy != nil)
    }

    @Test func aBodyOver64KiBIsTooLarge() throws {
        let report = try environment.check("too-large")
        #expect(report.codes == [.policyTooLarge], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "limit_bytes"] == .integer(65_536))
    }

    // MARK: Policy text

    @Test func aPolicyOnlyLenientSendersAcceptHasBothVerdicts() throws {
        let report = try environment.check("lenient")
        #expect(report.codes == [.policySyntax], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(
            finding[detail: "strict_verdict"] == .string("rejected: Blank lines are not allowed in a policy. (line 3)")
        )
        #expect(finding[detail: "lenient_verdict"] == .string("accepted"))
        #expect(finding.message.contains("Lenient senders accept it, strict ones ignore it."), "\(finding.message)")
        #expect(report.observed.policy == nil)
    }

    @Test func aPolicyEverySenderRejectsHasBothVerdictsRejected() throws {
        let report = try environment.check("invalid-policy")
        #expect(report.codes == [.policySyntax], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        let rejection = "rejected: mode must be enforce, testing or none, not \"always\"."
        #expect(finding[detail: "strict_verdict"] == .string(rejection + " (line 2)"))
        #expect(finding[detail: "lenient_verdict"] == .string(rejection))
        #expect(finding.message.contains("All senders ignore it."), "\(finding.message)")
    }

    @Test func maxAgeUnderADayIsShort() throws {
        let report = try environment.check("short-testing")
        #expect(report.codes == [.policyMaxAgeShort], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding[detail: "max_age"] == .integer(3_600))
        #expect(finding[detail: "mode"] == .string("testing"))
        #expect(finding.message.contains("less than a day"), "\(finding.message)")
    }

    @Test func maxAgeOfADayInEnforceIsShort() throws {
        let report = try environment.check("short-enforce")
        #expect(report.codes == [.policyMaxAgeShort], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding[detail: "max_age"] == .integer(86_400))
        #expect(finding[detail: "mode"] == .string("enforce"))
        #expect(finding.message.contains("less than a week in enforce mode"), "\(finding.message)")
    }

    @Test func testingForFortyDaysIsLongOnlyForAHostedDomain() throws {
        let domain = try CheckFixtures.domain("testing-long")
        let now = Date()
        let since = now.addingTimeInterval(-40 * 86_400)
        let report = try environment.check("testing-long", hosted: domain.hosted(testingSince: since), now: now)
        #expect(report.codes == [.policyModeTestingLong], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .info)
        #expect(finding[detail: "days"] == .integer(40))
        #expect(finding[detail: "testing_since"] == .string(since.formatted(.iso8601)))

        let recent = try environment.check(
            "testing-long",
            hosted: domain.hosted(testingSince: now.addingTimeInterval(-10 * 86_400)),
            now: now
        )
        #expect(recent.findings.isEmpty, "\(recent.summary)")
        let unhosted = try environment.check("testing-long", now: now)
        #expect(unhosted.findings.isEmpty, "\(unhosted.summary)")
    }
}

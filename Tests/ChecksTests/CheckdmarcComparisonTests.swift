import Checks
import DNS
import TestSupport
import Testing

/// Our verdicts against checkdmarc 6.0.4's on every fixture domain, where both check the same thing: whether a
/// sender gets a valid MTA-STS policy (record, HTTPS fetch, policy text), whether the TLS-RPT record is usable,
/// which MX hosts the policy leaves uncovered, and whether there are MX records at all.
///
/// Where the two differ, the difference is asserted too, so a change on either side shows up:
/// - `policy-content-type`: checkdmarc only warns about a policy served as text/html; RFC 8461 §3.3 says senders
///   SHOULD check the media type, and strict senders (postfix-mta-sts-resolver, chasquid) refuse it, so ours is an
///   error.
/// - `policy-too-large`: checkdmarc sets no size limit and accepts an 86 KB policy; senders cap the body (64 KiB in
///   postfix-mta-sts-resolver and mox, 10 KiB read by chasquid), so ours is an error.
/// What only we check (and checkdmarc does not look at): short max_age, testing for long, stale patterns, CAA,
/// the `_smtp-tlsrpt` label, expiring certificates, where the policy host points.
@Suite struct CheckdmarcComparisonTests {
    /// The codes that mean a sender gets no valid policy, as checkdmarc's `valid: false` does.
    private static let invalidPolicyCodes: Set<CheckCode> = [
        .stsRecordMissing, .stsRecordMultiple, .stsRecordSyntax, .policyFetchFailed, .policyCertInvalid,
        .policyTLSVersion, .policyRedirect, .policyStatus, .policyContentType, .policyTooLarge, .policySyntax,
    ]

    /// Fixtures where our verdict differs on purpose, with the one code behind it.
    private static let differences: [String: CheckCode] = ["html": .policyContentType, "too-large": .policyTooLarge]

    /// checkdmarc's verdicts on every fixture domain, from one run, by domain.
    private static let verdicts: Result<[String: Checkdmarc.Verdict], TestSupportError> = {
        do {
            let environment = try CheckFixtures.environment()
            let checkdmarc = try Checkdmarc(
                nameserver: environment.dns.resolverAddress.description,
                httpsPort: environment.nginx.port,
                zones: ["example.test", "platform.test"],
                caFile: environment.caPath,
                logDirectory: environment.files.path
            )
            let verdicts = try checkdmarc.check(CheckFixtures.domains.map(\.name))
            return .success(Dictionary(uniqueKeysWithValues: verdicts.map { ($0.domain, $0) }))
        } catch {
            return .failure(TestSupportError("\(error)"))
        }
    }()

    private let environment: CheckEnvironment
    private let verdicts: [String: Checkdmarc.Verdict]

    init() throws {
        environment = try CheckFixtures.environment()
        verdicts = try Self.verdicts.get()
    }

    /// Our report and checkdmarc's verdict for every fixture domain.
    private func pairs() throws -> [(label: String, report: CheckReport, verdict: Checkdmarc.Verdict)] {
        try CheckFixtures.domains.map { domain in
            let verdict = try #require(verdicts[domain.name], "checkdmarc gave no verdict on \(domain.name)")
            return (domain.label, try environment.check(domain.label), verdict)
        }
    }

    @Test func bothFindTheCleanDomainValid() throws {
        let verdict = try #require(verdicts["clean.example.test"])
        #expect(verdict.mtaSTS.valid, "\(verdict.mtaSTS)")
        #expect(verdict.mtaSTS.warnings.isEmpty, "\(verdict.mtaSTS.warnings)")
        #expect(verdict.tlsrpt.valid, "\(verdict.tlsrpt)")
        #expect(verdict.uncoveredMXHosts == [])
        #expect(try environment.check("clean").findings.isEmpty)
    }

    @Test func policyVerdictsAgreeExceptTheDocumentedDifferences() throws {
        for (label, report, verdict) in try pairs() {
            let ours = Set(report.codes).intersection(Self.invalidPolicyCodes)
            if let difference = Self.differences[label] {
                #expect(ours == [difference], "\(label): \(report.summary)")
                #expect(verdict.mtaSTS.valid, "\(label): checkdmarc now rejects it: \(verdict.mtaSTS)")
            } else {
                #expect(
                    ours.isEmpty == verdict.mtaSTS.valid,
                    "\(label): ours \(ours.map(\.rawValue)), checkdmarc \(verdict.mtaSTS)"
                )
            }
        }
    }

    @Test func checkdmarcOnlyWarnsAboutTheMediaType() throws {
        let verdict = try #require(verdicts["html.example.test"])
        #expect(
            verdict.mtaSTS.warnings == ["The Content-Type header should be text/plain, not text/html"],
            "\(verdict.mtaSTS)"
        )
    }

    @Test func tlsrptVerdictsAgree() throws {
        for (label, report, verdict) in try pairs() {
            let ours = report.contains(.tlsrptMissing) || report.contains(.tlsrptSyntax)
            #expect(ours == !verdict.tlsrpt.valid, "\(label): ours \(report.summary), checkdmarc \(verdict.tlsrpt)")
        }
    }

    /// Both apply RFC 8461 §4.1's one-label wildcard rule (RFC-NOTES §1.9 saw an older checkdmarc match any depth).
    @Test func bothFindTheSameUncoveredMXHosts() throws {
        var compared: Set<String> = []
        for (label, report, verdict) in try pairs() {
            guard let theirs = verdict.uncoveredMXHosts, report.observed.policy != nil else { continue }
            compared.insert(label)
            let ours = report.findings(.mxUncovered).compactMap { finding -> String? in
                guard case .string(let host) = finding[detail: "mx_host"] else { return nil }
                return host
            }
            #expect(ours == theirs, "\(label)")
            #expect(report.observed.mxHosts == verdict.mxHosts, "\(label)")
        }
        #expect(
            compared.isSuperset(of: ["clean", "uncovered", "uncovered-testing", "stale", "wildcard"]),
            "\(compared)"
        )
        #expect(verdicts["wildcard.example.test"]?.uncoveredMXHosts == ["b.a.mx.wildcard.example.test"])
    }

    @Test func bothSeeMissingAndNullMX() throws {
        for (label, report, verdict) in try pairs() {
            let missing = report.findings(.mxMissing)
            switch (verdict.mxRecordCount, verdict.nullMX) {
            case (0, _):
                #expect(missing.map(\.severity) == [.warning], "\(label): \(report.summary)")
            case (_, true):
                #expect(missing.map(\.severity) == [.info], "\(label): \(report.summary)")
            default:
                #expect(missing.isEmpty, "\(label): \(report.summary)")
            }
        }
    }
}

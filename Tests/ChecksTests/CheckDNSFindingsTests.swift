import Checks
import DNS
import TestSupport
import Testing

/// The DNS findings, each provoked by a fixture that differs from the clean deployment in one record; every report
/// is compared with its complete list of codes, so a finding that appears for the wrong reason fails too.
@Suite struct CheckDNSFindingsTests {
    private let environment: CheckEnvironment

    init() throws {
        environment = try CheckFixtures.environment()
    }

    // MARK: _mta-sts

    @Test func noRecordAtMTASTSIsMissing() throws {
        let report = try environment.check("sts-missing")
        #expect(report.codes == [.stsRecordMissing], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "name"] == .string("_mta-sts.sts-missing.example.test"))
    }

    @Test func aHostedDomainIsToldTheExactRecordToPublish() throws {
        let domain = try CheckFixtures.domain("sts-missing")
        let report = try environment.check("sts-missing", hosted: domain.hosted())
        let finding = try #require(report.findings(.stsRecordMissing).first, "\(report.summary)")
        #expect(finding.fix == "Publish _mta-sts.sts-missing.example.test. TXT \"v=STSv1; id=idstsmissing\".")
    }

    @Test func twoRecordsAreMultiple() throws {
        let report = try environment.check("sts-multiple")
        #expect(report.codes == [.stsRecordMultiple], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        guard case .strings(let records) = finding[detail: "records"] else {
            Issue.record("no records detail: \(finding.details)")
            return
        }
        #expect(records.sorted() == ["v=STSv1; id=first1", "v=STSv1; id=second2"])
    }

    @Test func anInvalidIDIsASyntaxError() throws {
        let report = try environment.check("sts-syntax")
        #expect(report.codes == [.stsRecordSyntax], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "records"] == .strings(["v=STSv1; id=not_valid!"]))
        #expect(finding.message.contains("not_valid!"), "\(finding.message)")
    }

    @Test func aRecordAtTheApexIsASyntaxErrorNamingTheApex() throws {
        let report = try environment.check("sts-apex")
        #expect(report.codes == [.stsRecordSyntax], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "name"] == .string("sts-apex.example.test"))
        #expect(finding[detail: "record"] == .string("v=STSv1; id=apex1"))
        #expect(finding.fix.contains("remove it from sts-apex.example.test"), "\(finding.fix)")
    }

    /// Through Knot, which reports the published TTL (Unbound here caps every TTL at 1 s), with an engine whose
    /// edge is in Knot's own zone so the whole CNAME chain comes back from one server.
    @Test func aPublishedIDOtherThanTheServedOneIsAMismatchWithTheTTL() throws {
        let domain = try CheckFixtures.domain("id-mismatch")
        let engine = try environment.makeEngine(
            dns: environment.dns.authoritativeClient(),
            edgeHostname: "edge.example.test"
        )
        let matching = try environment.check("id-mismatch", hosted: domain.hosted(), engine: engine)
        #expect(matching.findings.isEmpty, "\(matching.summary)")

        let report = try environment.check("id-mismatch", hosted: domain.hosted(policyID: "idserved2"), engine: engine)
        #expect(report.codes == [.stsIDMismatch], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding[detail: "published_id"] == .string("ididmismatch"))
        #expect(finding[detail: "served_id"] == .string("idserved2"))
        #expect(finding[detail: "ttl"] == .integer(300))
        #expect(finding.message.contains("up to 300 more seconds"), "\(finding.message)")
        #expect(finding.fix.hasPrefix("Publish _mta-sts.id-mismatch.example.test. TXT \"v=STSv1; id=idserved2\""))
    }

    // MARK: mta-sts.<domain>

    @Test func aPolicyHostAliasedElsewhereIsInfoForAnyDomainNamingTheTarget() throws {
        let report = try environment.check("elsewhere")
        #expect(report.codes == [.policyHostNotPointingHere], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .info)
        #expect(finding[detail: "host"] == .string("mta-sts.elsewhere.example.test"))
        #expect(finding[detail: "aliases"] == .strings(["policy.provider.example.test"]))
        #expect(finding.message.contains("is an alias of policy.provider.example.test"), "\(finding.message)")
    }

    @Test func aPolicyHostAliasedElsewhereIsAnErrorForAHostedDomain() throws {
        let domain = try CheckFixtures.domain("elsewhere")
        let report = try environment.check("elsewhere", hosted: domain.hosted())
        #expect(report.codes == [.policyHostNotPointingHere], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .error)
        #expect(finding.message.contains("not the platform's edge edge.platform.test"), "\(finding.message)")
        #expect(finding.fix.hasPrefix("Publish mta-sts.elsewhere.example.test. CNAME edge.platform.test."))
    }

    @Test func aPolicyHostWithAnAddressIsNamedByItsAddress() throws {
        let report = try environment.check("address")
        #expect(report.codes == [.policyHostNotPointingHere], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .info)
        #expect(finding[detail: "aliases"] == .strings([]))
        #expect(finding.message.contains("has the address 127.0.0.1 and no CNAME"), "\(finding.message)")
    }

    // MARK: _smtp._tls

    @Test func noTLSRPTRecordIsMissing() throws {
        let report = try environment.check("tlsrpt-missing")
        #expect(report.codes == [.tlsrptMissing], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding[detail: "name"] == .string("_smtp._tls.tlsrpt-missing.example.test"))
    }

    @Test func anInvalidTLSRPTRecordIsASyntaxWarning() throws {
        let report = try environment.check("tlsrpt-invalid")
        #expect(report.codes == [.tlsrptSyntax], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding[detail: "records"] == .strings(["v=TLSRPTv1; rua=ftp://reports.example.test/"]))
        #expect(finding.message.contains("is invalid"), "\(finding.message)")
    }

    @Test func twoTLSRPTRecordsAreASyntaxWarning() throws {
        let report = try environment.check("tlsrpt-multiple")
        #expect(report.codes == [.tlsrptSyntax], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("has 2 TLS-RPT records"), "\(finding.message)")
    }

    @Test func aRecordOnlyAtTheDraftLabelIsMissingAndLegacy() throws {
        let report = try environment.check("tlsrpt-legacy")
        #expect(Set(report.codes) == [.tlsrptMissing, .tlsrptLegacyLabel], "\(report.summary)")
        #expect(report.findings.allSatisfy { $0.severity == .warning })
        let legacy = try #require(report.findings(.tlsrptLegacyLabel).first)
        #expect(legacy[detail: "name"] == .string("_smtp-tlsrpt.tlsrpt-legacy.example.test"))
        #expect(legacy[detail: "record"] == .string("v=TLSRPTv1; rua=mailto:tlsrpt@tlsrpt-legacy.example.test"))
    }

    // MARK: CAA

    @Test func caaNamingAnotherCAIsInfoForAnyDomainAndAnErrorWhenHosted() throws {
        let report = try environment.check("caa")
        #expect(report.codes == [.caaForbidsCA], "\(report.summary)")
        let finding = try #require(report.findings.first)
        #expect(finding.severity == .info)
        #expect(finding[detail: "name"] == .string("caa.example.test"))
        #expect(finding[detail: "ca_identities"] == .strings([CheckFixtures.caaIdentity]))
        #expect(finding.message.contains("other-ca.test"), "\(finding.message)")
        #expect(finding.fix == "Add caa.example.test. CAA 0 issue \"pebble.test\" beside the existing CAA records.")

        let hosted = try environment.check("caa", hosted: try CheckFixtures.domain("caa").hosted())
        #expect(hosted.codes == [.caaForbidsCA], "\(hosted.summary)")
        #expect(hosted.findings.first?.severity == .error)
    }

    // MARK: Failed lookups

    /// A resolver address where nothing listens: every lookup fails, each is reported as failed (never as a
    /// missing record), and the policy cannot be fetched.
    @Test func lookupsThatFailAreReportedAsFailedNotAsMissing() throws {
        let silent = try FreePort.allocate()
        let client = DNSClient(
            resolvers: [DNSServerAddress(host: .v4(IPv4Address(127, 0, 0, 1)), port: silent)],
            timeout: .milliseconds(300),
            attempts: 1
        )
        let engine = try environment.makeEngine(dns: client)
        let report = try environment.check("clean", engine: engine)
        let failed = report.findings(.dnsLookupFailed)
        #expect(failed.allSatisfy { $0.severity == .error })
        let lookups = Set(
            failed.compactMap { finding -> String? in
                guard case .string(let name) = finding[detail: "name"], case .string(let type) = finding[detail: "type"]
                else { return nil }
                return "\(type) \(name)"
            }
        )
        #expect(
            lookups == [
                "TXT _mta-sts.clean.example.test", "TXT _smtp._tls.clean.example.test", "A mta-sts.clean.example.test",
                "CAA mta-sts.clean.example.test", "MX clean.example.test",
            ],
            "\(report.summary)"
        )
        #expect(Set(report.codes) == [.dnsLookupFailed, .policyFetchFailed], "\(report.summary)")
        let fetch = try #require(report.findings(.policyFetchFailed).first)
        #expect(fetch[detail: "reason"] == .string("dns"))
        guard case .string(let error) = fetch[detail: "error"] else {
            Issue.record("no error detail: \(fetch.details)")
            return
        }
        #expect(error.hasPrefix("the address lookup of mta-sts.clean.example.test failed"), "\(error)")
        #expect(
            fetch.fix
                == "The check's resolvers (MTASTS_DNS_RESOLVERS) did not answer: run the check again."
        )
        #expect(report.observed.mxHosts == nil)
    }
}

import API
import Foundation
import MTASTS
import Store
import Testing

/// Every state of the setup checklist, computed from what is stored.
@Suite struct DomainSetupTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func domain(_ status: DomainStatus = .verified) throws -> DomainRecord {
        DomainRecord(
            id: UUID(),
            accountID: UUID(),
            domainName: try DomainName(parsing: "example.test"),
            status: status,
            verificationToken: "tok_0123456789abcdef",
            verifiedAt: status == .pendingVerification ? nil : Self.now,
            verificationMethod: status == .pendingVerification ? nil : "dns_txt",
            createdAt: Self.now,
            deletedAt: status == .offboarding ? Self.now : nil,
            serveUntil: status == .offboarding ? Self.now.addingTimeInterval(86_400) : nil,
            dnsLabel: "abcdefghij0123456789",
            tlsrptRUA: []
        )
    }

    private func policy(_ mode: PolicyMode) -> PolicyRecord {
        PolicyRecord(
            rowID: 1,
            domainID: UUID(),
            policyID: "20261129T120000",
            mode: mode,
            mx: mode == .none ? [] : ["mx.example.test"],
            maxAge: 86_400,
            text: "version: STSv1\r\n",
            createdAt: Self.now,
            supersededAt: nil
        )
    }

    private func certificate(_ status: CertificateStatus, error: String? = nil) -> CertificateStateRecord {
        CertificateStateRecord(
            status: status,
            lastError: error,
            lastErrorAt: nil,
            renewAfter: nil,
            updatedAt: Self.now,
            notBefore: status == .issued ? Self.now : nil,
            notAfter: status == .issued ? Self.now.addingTimeInterval(90 * 86_400) : nil,
            issuer: nil
        )
    }

    private func check(
        sts: STSRecordStatus = .current,
        fetch: PolicyFetchStatus = .served,
        tlsrpt: TLSRPTRecordStatus = .missing
    ) -> DomainCheckRecord {
        DomainCheckRecord(
            stsRecord: sts,
            publishedID: nil,
            stsRecordDetail: "sts detail",
            tlsrptRecord: tlsrpt,
            tlsrptRecordDetail: "tlsrpt detail",
            policyFetch: fetch,
            policyFetchDetail: "fetch detail",
            checkedAt: Self.now,
            nextCheckAt: Self.now
        )
    }

    private func setup(
        _ domain: DomainRecord,
        policy: PolicyRecord? = nil,
        certificate: CertificateStateRecord? = nil,
        check: DomainCheckRecord? = nil,
        zone: String? = nil
    ) -> DomainSetup {
        DomainSetup(
            .init(
                domain: domain,
                policy: policy,
                certificate: certificate,
                check: check,
                edgeHostname: "edge.platform.test",
                zone: zone
            )
        )
    }

    private func statuses(_ setup: DomainSetup) -> [String: DomainSetup.Step.Status] {
        Dictionary(uniqueKeysWithValues: setup.steps.map { ($0.step, $0.status) })
    }

    @Test func aPendingDomainNeedsItsOwnershipProvenFirst() throws {
        let pending = setup(try domain(.pendingVerification))
        #expect(pending.state == .actionNeeded)
        #expect(pending.steps.first?.step == "ownership" && pending.steps.first?.status == .actionNeeded)
        #expect(pending.nextStep?.contains("_mtasts-verify.example.test") == true)
        #expect(pending.actionsNeeded == 3)  // ownership, the CNAME, the _mta-sts record
    }

    @Test func aDomainWithoutSignsOfControlWarnsUntilTheGraceEnds() throws {
        var verified = try domain()
        verified.controlMissingSince = Self.now
        let warned = setup(verified, policy: policy(.enforce), certificate: certificate(.issued), check: check())
        #expect(warned.state == .actionNeeded)
        let ownership = try #require(warned.steps.first { $0.step == "ownership" })
        #expect(ownership.status == .actionNeeded)
        let deadline = Self.now.addingTimeInterval(7 * 86_400).formatted(.iso8601)
        #expect(ownership.title.contains(deadline))
        #expect(
            ownership.detail.contains("_mtasts-verify.example.test") && ownership.detail.contains("edge.platform.test")
        )

        var lost = try domain(.offboarding)
        lost.controlMissingSince = Self.now
        lost.lostAt = Self.now.addingTimeInterval(7 * 86_400)
        let offboarded = setup(lost, policy: policy(.none))
        #expect(offboarded.state == .offboarding)
        #expect(offboarded.steps.first { $0.step == "ownership" }?.title.contains("was lost") == true)
    }

    @Test func aVerifiedDomainWaitsWhileTheWorkerLooksAndNamesWhatIsMissing() throws {
        let verified = try domain()
        let fresh = setup(verified, policy: policy(.testing))
        #expect(fresh.state == .waiting)
        let cname = setup(
            verified,
            policy: policy(.testing),
            certificate: certificate(
                .waitingForCNAME,
                error: "waiting for CNAME: add mta-sts.example.test. CNAME edge."
            )
        )
        #expect(cname.state == .actionNeeded && statuses(cname)["policy_host"] == .actionNeeded)
        #expect(cname.nextStep == "Add the CNAME mta-sts.example.test → edge.platform.test")
        #expect(cname.steps.first { $0.step == "policy_host" }?.detail.contains("CNAME edge") == true)

        let stale = setup(
            verified,
            policy: policy(.testing),
            certificate: certificate(.issued),
            check: check(sts: .stale)
        )
        #expect(stale.state == .actionNeeded && stale.actionsNeeded == 1)
        #expect(stale.steps.first { $0.step == "sts_record" }?.detail == "sts detail")
        #expect(stale.nextStep == "Publish _mta-sts.example.test TXT \"v=STSv1; id=20261129T120000\"")
        let delegated = setup(
            verified,
            policy: policy(.testing),
            certificate: certificate(.ordering),
            check: check(sts: .missing),
            zone: "sts.platform.test"
        )
        #expect(
            delegated.nextStep
                == "Publish _mta-sts.example.test as a CNAME to abcdefghij0123456789._mta-sts.sts.platform.test"
        )
    }

    @Test func theCertificateAndTheFetchDecideBetweenWaitingAndActionNeeded() throws {
        let verified = try domain()
        let ordering = setup(verified, policy: policy(.testing), certificate: certificate(.ordering), check: check())
        #expect(ordering.state == .waiting && statuses(ordering)["certificate"] == .waiting)
        #expect(statuses(ordering)["policy_reachable"] == .waiting)
        let failed = setup(
            verified,
            policy: policy(.testing),
            certificate: certificate(.failed, error: "x"),
            check: check()
        )
        #expect(failed.state == .waiting)
        let caa = setup(verified, policy: policy(.testing), certificate: certificate(.caaForbidden), check: check())
        #expect(caa.state == .actionNeeded && statuses(caa)["certificate"] == .actionNeeded)
        let unreachable = setup(
            verified,
            policy: policy(.testing),
            certificate: certificate(.issued),
            check: check(fetch: .unreachable)
        )
        #expect(unreachable.state == .actionNeeded && statuses(unreachable)["policy_reachable"] == .actionNeeded)
        let catchingUp = setup(
            verified,
            policy: policy(.testing),
            certificate: certificate(.issued),
            check: check(fetch: .mismatch)
        )
        #expect(catchingUp.state == .waiting)
    }

    @Test func liveDomainsSayTheirModeAndTLSRPTIsOptional() throws {
        let verified = try domain()
        let testing = setup(verified, policy: policy(.testing), certificate: certificate(.issued), check: check())
        #expect(testing.state == .liveTesting && testing.actionsNeeded == 0 && testing.nextStep == nil)
        #expect(statuses(testing)["tlsrpt"] == .optional)
        let enforce = setup(
            verified,
            policy: policy(.enforce),
            certificate: certificate(.renewing),
            check: check(sts: .delegated, tlsrpt: .found)
        )
        #expect(enforce.state == .liveEnforce && statuses(enforce)["tlsrpt"] == .done)
        let none = setup(verified, policy: policy(.none), certificate: certificate(.issued), check: check())
        #expect(none.state == .actionNeeded && none.steps.last?.step == "policy_mode")
    }

    @Test func offboardingSaysUntilWhen() throws {
        let leaving = setup(
            try domain(.offboarding),
            policy: policy(.none),
            certificate: certificate(.issued),
            check: check()
        )
        #expect(leaving.state == .offboarding && leaving.until == Self.now.addingTimeInterval(86_400))
    }
}

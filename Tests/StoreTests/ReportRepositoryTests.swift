import Database
import Foundation
import MTASTS
import Store
import TLSReporting
import TestSupport
import Testing

@Suite struct ReportRepositoryTests {
    static func report(
        reporter: String = "Google Inc.",
        id: String = "r1",
        dayOffset: Double = 0,
        failures: [TLSReportFailure] = [],
        successful: Int = 10
    ) -> TLSReport {
        let start = StoreFixture.start.addingTimeInterval(dayOffset * 86_400)
        return TLSReport(
            organizationName: reporter,
            start: start,
            end: start.addingTimeInterval(86_399),
            contactInfo: "tls@\(reporter.lowercased().prefix(3)).example",
            reportID: id,
            policies: [
                TLSReportPolicy(
                    policyType: "sts",
                    policyString: ["version: STSv1", "mode: testing"],
                    policyDomain: "reports.example",
                    mxHosts: ["mx1.reports.example"],
                    successfulSessions: successful,
                    failedSessions: failures.reduce(0) { $0 + $1.failedSessionCount },
                    failureDetails: failures
                )
            ]
        )
    }

    @Test func aReportIsStoredOnceWithItsPoliciesAndFailures() throws {
        let fixture = try StoreFixture()
        let domain = try fixture.domain(try fixture.account("r@example.com"), "reports.example")
        _ = try fixture.store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try fixture.policy(.testing, ["mx1.reports.example"]),
            at: StoreFixture.start
        )
        let token = try #require(try fixture.store.reports.token(domainID: domain.id))
        #expect(token.count == 24)
        #expect(try fixture.store.reports.activeTokens()[token]?.domainID == domain.id)

        let failures = [
            TLSReportFailure(
                resultType: "certificate-expired",
                sendingMTAIP: "192.0.2.1",
                receivingMXHostname: "mx1.reports.example",
                receivingIP: "198.51.100.25",
                failedSessionCount: 2
            ),
            TLSReportFailure(resultType: "sts-policy-fetch-error", failedSessionCount: 3, failureReasonCode: "x'y\"z"),
        ]
        let report = Self.report(failures: failures)
        let stored = try fixture.store.reports.store(
            report,
            rawJSON: "{}",
            domainID: domain.id,
            channel: .https,
            receivedAt: StoreFixture.start,
            appliedPolicyIDs: ["abc"]
        )
        let id = try #require(stored)
        let again = try fixture.store.reports.store(
            report,
            rawJSON: "{}",
            domainID: domain.id,
            channel: .smtp,
            receivedAt: StoreFixture.start,
            appliedPolicyIDs: ["abc"]
        )
        #expect(again == nil)
        #expect(try fixture.count("tlsrpt_reports") == 1)
        #expect(try fixture.count("tlsrpt_failures") == 2)

        let detail = try #require(try fixture.store.reports.report(domainID: domain.id, id: id))
        #expect(detail.listing.failedSessions == 5)
        #expect(detail.listing.appliedPolicyIDs == ["abc"])
        #expect(!detail.listing.hasUnmatchedPolicy)
        #expect(detail.policies.first?.failures.map(\.resultType) == ["certificate-expired", "sts-policy-fetch-error"])
        #expect(detail.policies.first?.failures[0].receivingIP == "198.51.100.25")
        #expect(detail.policies.first?.failures[1].sendingMTAIP == nil)
        #expect(detail.policies.first?.failures[1].failureReasonCode == "x'y\"z")

        let other = try fixture.domain(try fixture.account("o@example.com"), "other.example")
        #expect(try fixture.store.reports.report(domainID: other.id, id: id) == nil)
    }

    @Test func listingPagesAndSummaryTotals() throws {
        let fixture = try StoreFixture()
        let domain = try fixture.domain(try fixture.account("s@example.com"), "reports.example")
        for day in 0..<3 {
            for reporter in ["Google Inc.", "Microsoft Corporation"] {
                let failures =
                    reporter == "Google Inc."
                    ? [
                        TLSReportFailure(
                            resultType: "certificate-expired",
                            receivingMXHostname: "mx1",
                            failedSessionCount: 1
                        )
                    ]
                    : []
                try fixture.store.reports.store(
                    Self.report(reporter: reporter, id: "d\(day)", dayOffset: Double(day), failures: failures),
                    rawJSON: "{}",
                    domainID: domain.id,
                    channel: .smtp,
                    receivedAt: StoreFixture.start,
                    appliedPolicyIDs: [day == 2 ? "new" : "old"]
                )
            }
        }
        let window = (from: StoreFixture.start, to: StoreFixture.start.addingTimeInterval(10 * 86_400))
        let first = try fixture.store.reports.list(domainID: domain.id, from: window.from, to: window.to, limit: 4)
        #expect(first.count == 4)
        let last = try #require(first.last)
        let rest = try fixture.store.reports.list(
            domainID: domain.id,
            from: window.from,
            to: window.to,
            limit: 4,
            before: (last.start, last.id)
        )
        #expect(rest.count == 2)
        #expect(Set((first + rest).map(\.id)).count == 6)

        let summary = try fixture.store.reports.summary(domainID: domain.id, since: StoreFixture.start)
        #expect(summary.days.count == 3)
        #expect(summary.days.map(\.successfulSessions) == [20, 20, 20])
        #expect(summary.days.map(\.failedSessions) == [1, 1, 1])
        #expect(summary.failuresByResultType.map { [$0.key: $0.failedSessions] } == [["certificate-expired": 3]])
        #expect(summary.failuresByReceivingMX.map { [$0.key: $0.failedSessions] } == [["mx1": 3]])
        #expect(summary.reporters.count == 2)
        #expect(summary.reporters.allSatisfy { $0.lastAppliedPolicyID == "new" && $0.reports == 3 })
    }
}

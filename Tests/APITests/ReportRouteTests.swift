import API
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store
import TLSReporting
import TestSupport
import Testing

/// The reports views and the enforce gate over the API, with reports stored as the importer stores them.
@Suite struct ReportRouteTests {
    static let name = "table.example.test"

    /// A signed-up tenant with `table.example.test` verified in testing (its live MX is mx.table.example.test).
    private func tenant(_ api: APIHarness) throws -> (token: String, domain: DomainRecord, policyID: String) {
        let token = try api.signUp("owner@reports.example.test")
        #expect(api.send(.post, "/v1/domains", json: ["name": .string(Self.name)], token: token).status == 201)
        let store = DataStore(pool: api.pool)
        let owner = try #require(try store.accounts.find(email: "owner@reports.example.test"))
        let created = try #require(try store.domains.find(accountID: owner.id, name: Self.name))
        let (domain, policy) = try store.domains.markVerified(
            domainID: created.id,
            initialPolicy: try Policy(
                mode: .testing,
                mx: [try MXPattern(parsing: "mx.table.example.test")],
                maxAge: 86_400
            ),
            at: api.clock.now.addingTimeInterval(-20 * 86_400)
        )
        return (token, domain, try #require(policy).policyID)
    }

    private func report(_ api: APIHarness, reporter: String, daysAgo: Double, failures: [TLSReportFailure]) -> TLSReport
    {
        let start = api.clock.now.addingTimeInterval(-daysAgo * 86_400)
        return TLSReport(
            organizationName: reporter,
            start: start,
            end: start.addingTimeInterval(86_399),
            contactInfo: nil,
            reportID: "\(reporter)-\(daysAgo)",
            policies: [
                TLSReportPolicy(
                    policyType: "sts",
                    policyString: ["version: STSv1", "mode: testing", "mx: mx.table.example.test", "max_age: 86400"],
                    policyDomain: Self.name,
                    mxHosts: ["mx.table.example.test"],
                    successfulSessions: 50,
                    failedSessions: failures.reduce(0) { $0 + $1.failedSessionCount },
                    failureDetails: failures
                )
            ]
        )
    }

    @Test func aTenantReadsItsReportsSummaryAndRawJSONAndNoOneElseDoes() throws {
        let api = try APIHarness(
            reporting: ReportingAddresses(httpsHost: "reports.platform.test", mailDomain: "reports.platform.test")
        )
        let (token, domain, policyID) = try tenant(api)
        let store = DataStore(pool: api.pool)
        let expired = TLSReportFailure(
            resultType: "certificate-expired",
            receivingMXHostname: "mx.table.example.test",
            failedSessionCount: 4
        )
        for (reporter, daysAgo, failures) in [("Google Inc.", 1.0, [expired]), ("Microsoft Corporation", 5.0, [])] {
            try store.reports.store(
                report(api, reporter: reporter, daysAgo: daysAgo, failures: failures),
                rawJSON: #"{"organization-name":"\#(reporter)"}"#,
                domainID: domain.id,
                channel: .https,
                receivedAt: api.clock.now,
                appliedPolicyIDs: [policyID]
            )
        }

        let tlsrpt = api.send(.get, "/v1/domains/\(Self.name)/tlsrpt", token: token)
        #expect(
            tlsrpt.json?["platform_rua"]
                == [
                    .string("https://reports.platform.test/v1/tlsrpt/\(domain.reportToken)"),
                    .string("mailto:\(domain.reportToken)@reports.platform.test"),
                ]
        )
        #expect(
            tlsrpt.json?["record"]?.stringValue?.hasPrefix("v=TLSRPTv1; rua=https://reports.platform.test/") == true
        )

        let page = api.send(.get, "/v1/domains/\(Self.name)/reports?limit=1", token: token)
        #expect(page.status == 200, "\(APIHarness.text(page))")
        let first = try #require(page.json?["reports"]?[0])
        #expect(first["organization_name"] == "Google Inc.")
        #expect(first["failed_sessions"] == 4)
        #expect(first["applied_policy_ids"] == [.string(policyID)])
        #expect(first["outdated_policy"] == false)
        let cursor = try #require(page.json?["next_before"]?.stringValue)
        let rest = api.send(.get, "/v1/domains/\(Self.name)/reports?limit=1&before=\(cursor)", token: token)
        #expect(rest.json?["reports"]?[0]?["organization_name"] == "Microsoft Corporation")
        #expect(rest.json?["next_before"] == .null)

        let id = try #require(first["id"]?.stringValue)
        let detail = api.send(.get, "/v1/domains/\(Self.name)/reports/\(id)", token: token)
        #expect(detail.json?["raw"]?["organization-name"] == "Google Inc.")
        #expect(detail.json?["policies"]?[0]?["failure_details"]?[0]?["result_type"] == "certificate-expired")

        let summary = api.send(.get, "/v1/domains/\(Self.name)/reports/summary?days=7", token: token)
        #expect(summary.status == 200, "\(APIHarness.text(summary))")
        #expect(summary.json?["daily"]?.arrayValue?.count == 7)
        #expect(summary.json?["totals"]?["failed_sessions"] == 4)
        #expect(summary.json?["totals"]?["successful_sessions"] == 100)
        let type = try #require(summary.json?["failures_by_result_type"]?[0])
        #expect(type["result_type"] == "certificate-expired")
        #expect(type["meaning"]?.stringValue?.contains("expired") == true)
        let reporters = try #require(summary.json?["reporters"]?.arrayValue)
        #expect(reporters.map { $0["silent"] } == [false, true])
        #expect(reporters.allSatisfy { $0["applies_current_policy"] == true })
        #expect(summary.json?["enforce_readiness"]?["report_days"] == 2)

        // Bad queries name the parameter; another tenant sees nothing.
        #expect(api.send(.get, "/v1/domains/\(Self.name)/reports?from=yesterday", token: token).names(field: "from"))
        #expect(api.send(.get, "/v1/domains/\(Self.name)/reports?before=x", token: token).names(field: "before"))
        #expect(api.send(.get, "/v1/domains/\(Self.name)/reports/summary?days=0", token: token).names(field: "days"))
        #expect(api.send(.get, "/v1/domains/\(Self.name)/reports/not-a-uuid", token: token).status == 404)
        let stranger = try api.signUp("stranger@reports.example.test")
        #expect(api.send(.get, "/v1/domains/\(Self.name)/reports", token: stranger).status == 404)
        #expect(api.send(.get, "/v1/domains/\(Self.name)/reports/\(id)", token: stranger).status == 404)
    }

    @Test func testingToEnforceWaitsForCleanReportsUnlessForced() throws {
        let api = try APIHarness(enforceReadyDays: 14)
        let (token, domain, policyID) = try tenant(api)
        let store = DataStore(pool: api.pool)
        try store.reports.store(
            report(
                api,
                reporter: "Google Inc.",
                daysAgo: 2,
                failures: [TLSReportFailure(resultType: "sts-policy-fetch-error", failedSessionCount: 3)]
            ),
            rawJSON: "{}",
            domainID: domain.id,
            channel: .smtp,
            receivedAt: api.clock.now,
            appliedPolicyIDs: [policyID]
        )
        let enforce: JSONValue = ["mode": "enforce", "mx": ["mx.table.example.test"], "max_age": 604_800]
        let refused = api.send(.put, "/v1/domains/\(Self.name)/policy", json: enforce, token: token)
        #expect(refused.status == 409, "\(APIHarness.text(refused))")
        #expect(refused.json?["type"] == "https://api.platform.test/problems/enforce-not-ready")
        let missing = try #require(refused.json?["enforce_readiness"]?["missing"]?.arrayValue).compactMap(\.stringValue)
        #expect(missing.contains { $0.contains("1 of the 14 days") })
        #expect(missing.contains { $0.contains("3 sessions failing with sts-policy-fetch-error") })
        #expect(missing.contains { $0.contains("not been checked") })
        #expect(refused.json?["enforce_readiness"]?["ready"] == false)

        let forced = api.send(
            .put,
            "/v1/domains/\(Self.name)/policy",
            json: enforce.adding(["force": true]),
            token: token
        )
        #expect(forced.status == 200, "\(APIHarness.text(forced))")
        #expect(forced.json?["mode"] == "enforce")
        // Not testing any more: no readiness to show.
        let summary = api.send(.get, "/v1/domains/\(Self.name)/reports/summary", token: token)
        #expect(summary.json?["enforce_readiness"] == .null)
    }
}

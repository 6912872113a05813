import API
import DNS
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store
import TestSupport
import Testing

/// The check through the API: `POST /v1/checks` for any domain (anonymous callers rate limited per address),
/// the stored reports of a hosted domain, and their summary on the domain.
@Suite struct CheckRouteTests {
    private func codes(_ response: TestResponse) -> [String] {
        (response.json?["findings"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
    }

    @Test func anyDomainIsCheckedAndBadInputIsRefusedByField() throws {
        let api = try APIHarness()
        let name = "anycheck.example.test"
        try api.dns.set(zone: "example.test", owner: "_mta-sts.\(name)", type: .txt, value: "\"v=STSv1; id=abc123\"")
        try api.dns.set(zone: "example.test", owner: name, type: .mx, value: "10 mx.\(name).")
        var report = api.send(.post, "/v1/checks", json: ["domain": .string(name.uppercased())])
        try Poll.until(deadline: 10, "the TXT record to be seen") {
            report = api.send(.post, "/v1/checks", json: ["domain": .string(name.uppercased())])
            return !codes(report).contains("sts-record-missing")
        }
        #expect(report.status == 200, "\(APIHarness.text(report))")
        #expect(report.json?["domain"] == .string(name))
        #expect(report.json?["hosted"] == false)
        #expect(report.json?["observed"]?["sts_record"] == "v=STSv1; id=abc123")
        #expect(report.json?["observed"]?["mx_hosts"] == [.string("mx.\(name)")])
        // No policy host: the fetch fails on DNS, and nothing says where to send TLS reports.
        let fetch = report.json?["findings"]?.arrayValue?.first { $0["code"] == "policy-fetch-failed" }
        #expect(fetch?["severity"] == "error" && fetch?["reason"] == "dns")
        #expect(fetch?["fix"]?.stringValue?.isEmpty == false)
        #expect(codes(report).contains("tlsrpt-missing"))
        #expect(!codes(report).contains("sts-id-mismatch"))
        #expect((report.json?["summary"]?["errors"]?.intValue ?? 0) >= 1)
        #expect(report.json?["summary"]?["worst_severity"] == "error")

        let invalid = api.send(.post, "/v1/checks", json: ["domain": "not a domain"])
        #expect(invalid.status == 422 && invalid.isProblem && invalid.names(field: "domain", rule: "characters"))
        let missing = api.send(.post, "/v1/checks", json: [:])
        #expect(missing.status == 422 && missing.names(field: "domain", rule: "required"))
        let unknown = api.send(.post, "/v1/checks", json: ["domain": "a.example.test", "mode": "x"])
        #expect(unknown.status == 422 && unknown.names(field: "mode"))
        let plain = api.send(.post, "/v1/checks", body: Array("domain=a.example.test".utf8), contentType: "text/plain")
        #expect(plain.status == 415)
        let badToken = api.send(.post, "/v1/checks", json: ["domain": "a.example.test"], token: "nope")
        #expect(badToken.status == 401)
    }

    @Test func anonymousCallersAreLimitedPerAddressAccountsPerAccount() throws {
        let api = try APIHarness(anonymousChecksPerHour: 2)
        let body: JSONValue = ["domain": "limits.example.test"]
        for _ in 0..<2 {
            #expect(api.send(.post, "/v1/checks", json: body, remoteAddress: "203.0.113.7").status == 200)
        }
        let refused = api.send(.post, "/v1/checks", json: body, remoteAddress: "203.0.113.7")
        #expect(refused.status == 429 && refused.json?["type"]?.stringValue?.hasSuffix("too-many-checks") == true)
        #expect(Int(refused.fields[.retryAfter] ?? "") ?? 0 > 0)
        #expect(api.send(.post, "/v1/checks", json: body, remoteAddress: "203.0.113.8").status == 200)
        // A signed-in caller counts against its account, not the address.
        let token = try api.signUp("checker@example.com", remoteAddress: "203.0.113.7")
        #expect(api.send(.post, "/v1/checks", json: body, token: token, remoteAddress: "203.0.113.7").status == 200)
    }

    @Test func aHostedDomainIsComparedWithWhatThePlatformServesAndItsReportsAreKept() throws {
        let api = try APIHarness()
        let name = "hostedcheck.example.test"
        let token = try api.signUp("owner@\(name)")
        #expect(api.send(.post, "/v1/domains", json: ["name": .string(name)], token: token).status == 201)
        let store = DataStore(pool: api.pool)
        let owner = try #require(try store.accounts.find(email: "owner@\(name)"))
        let domain = try #require(try store.domains.find(accountID: owner.id, name: name))
        _ = try store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try Policy(mode: .testing, mx: [try MXPattern(parsing: "mx.\(name)")], maxAge: 86_400),
            at: api.clock.now
        )
        let served = try #require(try store.policies.current(domainID: domain.id)).policyID
        try api.dns.set(zone: "example.test", owner: "_mta-sts.\(name)", type: .txt, value: "\"v=STSv1; id=old1\"")

        // Before the worker's first check there is no report.
        let none = api.send(.get, "/v1/domains/\(name)/checks/latest", token: token)
        #expect(none.status == 404 && none.json?["type"]?.stringValue?.hasSuffix("no-check-yet") == true)
        #expect(api.send(.get, "/v1/domains/\(name)", token: token).json?["check"] == .null)

        var report = api.send(.post, "/v1/checks", json: ["domain": .string(name)], token: token)
        try Poll.until(deadline: 10, "the published id to be seen") {
            report = api.send(.post, "/v1/checks", json: ["domain": .string(name)], token: token)
            return codes(report).contains("sts-id-mismatch")
        }
        #expect(report.json?["hosted"] == true)
        let mismatch = report.json?["findings"]?.arrayValue?.first { $0["code"] == "sts-id-mismatch" }
        #expect(mismatch?["published_id"] == "old1" && mismatch?["served_id"] == .string(served))
        #expect(mismatch?["ttl"]?.intValue != nil)
        #expect(mismatch?["fix"]?.stringValue?.contains("v=STSv1; id=\(served)") == true)
        // Not hosted here (another account's view): no comparison.
        let stranger = try api.signUp("stranger@example.com")
        let foreign = api.send(.post, "/v1/checks", json: ["domain": .string(name)], token: stranger)
        #expect(foreign.json?["hosted"] == false && !codes(foreign).contains("sts-id-mismatch"))

        // The worker stores reports; the API pages through them, newest first, and shows the summary.
        for (index, errors) in [2, 0, 1].enumerated() {
            let json: JSONValue = [
                "domain": .string(name), "checked_at": .string("2026-11-30T0\(index):00:00Z"), "findings": [],
            ]
            try store.domainChecks.record(
                domainID: domain.id,
                DomainCheckRecord(
                    stsRecord: .stale,
                    publishedID: "old1",
                    stsRecordDetail: "stale",
                    tlsrptRecord: .missing,
                    tlsrptRecordDetail: "missing",
                    policyFetch: .unreachable,
                    policyFetchDetail: "unreachable",
                    checkedAt: api.clock.now.addingTimeInterval(Double(index)),
                    nextCheckAt: api.clock.now.addingTimeInterval(3600),
                    worstSeverity: errors > 0 ? "error" : nil,
                    errorCount: errors,
                    warningCount: 0
                ),
                reportJSON: json.text
            )
        }
        let latest = api.send(.get, "/v1/domains/\(name)/checks/latest", token: token)
        #expect(latest.status == 200 && latest.json?["checked_at"] == "2026-11-30T02:00:00Z")
        let first = api.send(.get, "/v1/domains/\(name)/checks?limit=2", token: token)
        #expect(first.json?["checks"]?.arrayValue?.count == 2)
        let next = try #require(first.json?["next_before"]?.intValue)
        let second = api.send(.get, "/v1/domains/\(name)/checks?limit=2&before=\(next)", token: token)
        #expect(second.json?["checks"]?[0]?["checked_at"] == "2026-11-30T00:00:00Z")
        #expect(second.json?["next_before"] == .null)
        #expect(api.send(.get, "/v1/domains/\(name)/checks?limit=0", token: token).names(field: "limit"))
        #expect(api.send(.get, "/v1/domains/\(name)/checks", token: stranger).status == 404)
        let summary = api.send(.get, "/v1/domains/\(name)", token: token).json?["check"]
        #expect(summary?["worst_severity"] == "error" && summary?["errors"] == 1)
    }

    @Test func alertAddressesAreValidatedAndNeedARelay() throws {
        let api = try APIHarness()
        let token = try api.signUp("alerts@example.com")
        let initial = api.send(.get, "/v1/account/alerts", token: token)
        #expect(initial.status == 200 && initial.json?["email_available"] == false)
        #expect(initial.json?["email_recipients"] == [])
        let unavailable = api.send(
            .put,
            "/v1/account/alerts",
            json: ["email_recipients": ["ops@example.com"]],
            token: token
        )
        #expect(unavailable.status == 409)
        #expect(unavailable.json?["type"]?.stringValue?.hasSuffix("alert-email-unavailable") == true)
        #expect(api.send(.put, "/v1/account/alerts", json: ["email_recipients": []], token: token).status == 200)

        let relayed = try APIHarness(alertMailAvailable: true)
        let other = try relayed.signUp("alerts@example.com")
        let bad = relayed.send(
            .put,
            "/v1/account/alerts",
            json: ["email_recipients": ["ops@example.com", "not-an-address"]],
            token: other
        )
        #expect(bad.status == 422 && bad.names(field: "email_recipients[1]", rule: "email"))
        let six: JSONValue = ["email_recipients": .array((1...6).map { .string("a\($0)@example.com") })]
        #expect(relayed.send(.put, "/v1/account/alerts", json: six, token: other).names(field: "email_recipients"))
        let set = relayed.send(
            .put,
            "/v1/account/alerts",
            json: ["email_recipients": ["Ops@Example.com", "ops@example.com", "oncall@example.com"]],
            token: other
        )
        #expect(set.status == 200 && set.json?["email_recipients"] == ["ops@example.com", "oncall@example.com"])
        #expect(relayed.send(.get, "/v1/account/alerts").status == 401)
    }
}

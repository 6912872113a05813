import API
import DNS
import Database
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store
import TestSupport
import Testing

/// The whole tenant journey through the responder, against real PostgreSQL and real DNS (Knot + Unbound).
@Suite struct TenantJourneyTests {
    let domain = "journey.example.test"
    let zone = "example.test"

    @Test func signUpVerifySetPolicyRotateAndOffboard() throws {
        let api = try APIHarness()
        let dns = api.dns
        let token = try api.signUp("alice@example.com")

        let account = api.send(.get, "/v1/account", token: token)
        #expect(account.status == 200)
        #expect(account.json?["email"] == "alice@example.com")
        #expect(account.json?["domain_limit"] == 5)
        #expect(account.json?["domain_count"] == 0)

        // Add the domain (case and trailing dot are normalised).
        let added = api.send(.post, "/v1/domains", json: ["name": "Journey.Example.Test."], token: token)
        #expect(added.status == 201, "\(APIHarness.text(added))")
        #expect(added.json?["name"] == .string(domain))
        #expect(added.json?["status"] == "pending_verification")
        let verification = try #require(added.json?["verification"])
        #expect(verification["name"] == .string("_mtasts-verify." + domain))
        #expect(verification["type"] == "TXT")
        let value = try #require(verification["value"]?.stringValue)

        // Nothing published yet: 422 saying NXDOMAIN.
        let early = api.send(.post, "/v1/domains/\(domain)/verify", token: token)
        #expect(early.status == 422)
        #expect(early.isProblem)
        #expect(early.json?["found"]?["result"] == "nxdomain")

        // A wrong value: 422 quoting it.
        try dns.replace(zone: zone, owner: "_mtasts-verify." + domain, type: .txt, values: ["someone-else"])
        try Poll.until(deadline: 10, "wrong value reported") {
            let response = api.send(.post, "/v1/domains/\(domain)/verify", token: token)
            return response.status == 422 && response.json?["found"]?["values"] == ["someone-else"]
        }

        // The right value: verified, with a testing policy listing the live MX hosts.
        try dns.replace(zone: zone, owner: "_mtasts-verify." + domain, type: .txt, values: [value])
        var verified: TestResponse?
        try Poll.until(deadline: 10, "verification succeeds") {
            let response = api.send(.post, "/v1/domains/\(domain)/verify", token: token)
            verified = response
            return response.status == 200
        }
        let first = try #require(verified?.json?["policy"])
        #expect(verified?.json?["status"] == "verified")
        #expect(first["mode"] == "testing")
        #expect(first["mx"] == ["mx1.journey.example.test", "mx2.journey.example.test"])
        #expect(first["max_age"] == 86_400)
        let firstID = try #require(first["id"]?.stringValue)

        let read = api.send(.get, "/v1/domains/\(domain)/policy", token: token)
        #expect(read.status == 200)
        #expect(read.fields[.etag] == "\"\(firstID)\"")
        #expect(read.json?["text"]?.stringValue?.hasPrefix("version: STSv1\r\nmode: testing\r\n") == true)

        // enforce with a pattern that misses mx2: refused, naming the uncovered host.
        let partial = api.send(
            .put,
            "/v1/domains/\(domain)/policy",
            json: ["mode": "enforce", "mx": ["mx1.journey.example.test"], "max_age": 604_800],
            token: token
        )
        #expect(partial.status == 422)
        #expect(partial.json?["mx_check"]?["uncovered_hosts"] == ["mx2.journey.example.test"])
        #expect(partial.names(field: "mx", rule: "covers_mx"))

        // A wildcard covers both: the id rotates and edges are notified in the same transaction.
        let listener = try PostgresConnection(connectionString: api.url)
        try listener.listen("mtasts_changes")
        api.clock.advance(by: 5)
        let enforce = api.send(
            .put,
            "/v1/domains/\(domain)/policy",
            json: ["mode": "enforce", "mx": ["*.journey.example.test"], "max_age": 604_800],
            token: token,
            headers: [.ifMatch: "\"\(firstID)\""]
        )
        #expect(enforce.status == 200, "\(APIHarness.text(enforce))")
        let secondID = try #require(enforce.json?["id"]?.stringValue)
        #expect(secondID != firstID)
        #expect(enforce.json?["changed"] == true)
        #expect(enforce.fields[.etag] == "\"\(secondID)\"")
        #expect(enforce.json?["mx_check"]?["uncovered_hosts"] == [])
        var notifications: [PostgresNotification] = []
        try Poll.until(deadline: 5, "policy change notified") {
            notifications += try listener.waitForNotifications(timeout: .milliseconds(200))
            return !notifications.isEmpty
        }
        let seq = try #require(Int64(notifications[0].payload))
        let change = try #require(try DataStore(pool: api.pool).changes.changes(after: seq - 1).first)
        #expect(change.seq == seq && change.host == "mta-sts." + domain && change.kind == .policy)

        // The same policy again: no new row, same id; a stale If-Match: 412.
        let again = api.send(
            .put,
            "/v1/domains/\(domain)/policy",
            json: ["mode": "enforce", "mx": ["*.journey.example.test"], "max_age": 604_800],
            token: token
        )
        #expect(again.status == 200)
        #expect(again.json?["id"] == .string(secondID))
        #expect(again.json?["changed"] == false)
        let stale = api.send(
            .put,
            "/v1/domains/\(domain)/policy",
            json: ["mode": "testing", "mx": ["*.journey.example.test"], "max_age": 604_800],
            token: token,
            headers: [.ifMatch: "\"\(firstID)\""]
        )
        #expect(stale.status == 412)
        // If-Match compares strongly (RFC 9110 §13.1.1): the current id as a weak tag matches nothing, while a
        // list matches when any of its strong tags is the current id.
        for (ifMatch, status) in [("W/\"\(secondID)\"", 412), ("\"\(firstID)\", \"\(secondID)\"", 200)] {
            let conditional = api.send(
                .put,
                "/v1/domains/\(domain)/policy",
                json: ["mode": "enforce", "mx": ["*.journey.example.test"], "max_age": 604_800],
                token: token,
                headers: [.ifMatch: ifMatch]
            )
            #expect(conditional.status == status, "If-Match: \(ifMatch)")
        }
        #expect(try api.count("policies") == 2)

        // dns-records: nothing published yet, then the CNAME and an outdated id, then the current id.
        let missing = api.send(.get, "/v1/domains/\(domain)/dns-records", token: token)
        #expect(missing.status == 200)
        let statuses = { (response: TestResponse) -> [String] in
            (response.json?["records"]?.arrayValue ?? []).compactMap { $0["status"]?.stringValue }
        }
        #expect(statuses(missing) == ["missing", "missing", "missing"])
        #expect(missing.json?["records"]?[1]?["value"] == .string("v=STSv1; id=\(secondID)"))
        #expect(missing.json?["records"]?[2]?["value"] == "v=TLSRPTv1; rua=mailto:alice@example.com")
        try dns.set(zone: zone, owner: "mta-sts." + domain, type: .cname, value: SharedDNS.edgeHostname + ".")
        try dns.replace(zone: zone, owner: "_mta-sts." + domain, type: .txt, values: ["v=STSv1; id=\(firstID)"])
        try Poll.until(deadline: 10, "CNAME found, STS id wrong") {
            statuses(api.send(.get, "/v1/domains/\(domain)/dns-records", token: token)) == [
                "found", "wrong", "missing",
            ]
        }
        try dns.replace(zone: zone, owner: "_mta-sts." + domain, type: .txt, values: ["v=STSv1; id=\(secondID)"])
        try dns.replace(
            zone: zone,
            owner: "_smtp._tls." + domain,
            type: .txt,
            values: ["v=TLSRPTv1; rua=mailto:tls@example.test"]
        )
        var published: TestResponse?
        try Poll.until(deadline: 10, "all records found") {
            published = api.send(.get, "/v1/domains/\(domain)/dns-records", token: token)
            return statuses(published ?? TestResponse(status: 0, fields: [:], body: [])) == ["found", "found", "found"]
        }
        #expect(published?.json?["records"]?[1]?["found"]?["values"] == .array([.string("v=STSv1; id=\(secondID)")]))

        let check = api.send(.get, "/v1/domains/\(domain)/mx-check", token: token)
        #expect(check.status == 200)
        #expect(check.json?["mx_hosts"]?[1]?["covered_by"] == "*.journey.example.test")
        #expect(check.json?["unused_patterns"] == [])

        let history = api.send(.get, "/v1/domains/\(domain)/policy/history", token: token)
        let entries = try #require(history.json?["policies"]?.arrayValue)
        #expect(entries.map { $0["id"] } == [.string(firstID), .string(secondID)])
        #expect(entries[0]["served_until"] != .null)
        #expect(entries[1]["served_until"] == .null)

        // Delete: this domain went live, so not immediately; offboarding serves `none` for the longest max_age.
        let refused = api.send(.delete, "/v1/domains/\(domain)?immediately=true", token: token)
        #expect(refused.status == 409)
        api.clock.advance(by: 5)
        let deletedAt = api.clock.now
        let offboard = api.send(.delete, "/v1/domains/\(domain)", token: token)
        #expect(offboard.status == 202, "\(APIHarness.text(offboard))")
        #expect(offboard.json?["status"] == "offboarding")
        #expect(offboard.json?["policy"]?["mode"] == "none")
        #expect(offboard.json?["policy"]?["max_age"] == 86_400)
        #expect(offboard.json?["serve_until"] == .string(deletedAt.addingTimeInterval(604_800).formatted(.iso8601)))
        #expect(api.send(.get, "/v1/domains/\(domain)", token: token).json?["status"] == "offboarding")
        let noChange = api.send(
            .put,
            "/v1/domains/\(domain)/policy",
            json: ["mode": "none", "max_age": 86_400],
            token: token
        )
        #expect(noChange.status == 409)

        // Another account cannot take the name while it is still served …
        let bob = try api.signUp("bob@example.com")
        #expect(api.send(.post, "/v1/domains", json: ["name": .string(domain)], token: bob).status == 201)
        let bobRecord = try #require(
            api.send(.get, "/v1/domains/\(domain)", token: bob).json?["verification"]?["value"]
        )
        try dns.replace(
            zone: zone,
            owner: "_mtasts-verify." + domain,
            type: .txt,
            values: [value, bobRecord.stringValue ?? ""]
        )
        var conflict: TestResponse?
        try Poll.until(deadline: 10, "bob's record visible") {
            conflict = api.send(.post, "/v1/domains/\(domain)/verify", token: bob)
            return conflict?.status == 409
        }
        #expect(conflict?.json?["type"] == "https://api.platform.test/problems/domain-verified-elsewhere")

        // … and can once offboarding has finished.
        api.clock.advance(by: 604_800)
        #expect(try DataStore(pool: api.pool).domains.completeOffboarding(at: api.clock.now) == [domain])
        // Sessions last 12 hours; a week later both tenants log in again.
        #expect(api.send(.get, "/v1/account", token: token).status == 401)
        let alice = try api.logIn("alice@example.com")
        let bobAgain = try api.logIn("bob@example.com")
        #expect(api.send(.get, "/v1/domains/\(domain)", token: alice).status == 404)
        #expect(api.send(.post, "/v1/domains/\(domain)/verify", token: bobAgain).status == 200)
        #expect(api.send(.get, "/v1/account", token: alice).json?["domain_count"] == 0)
    }

    @Test func unverifiedDomainsAreDeletedAtOnceAndCanBeAddedAgain() throws {
        let api = try APIHarness(domainLimit: 1)
        let token = try api.signUp("carol@example.com")
        #expect(api.send(.post, "/v1/domains", json: ["name": "never.example.test"], token: token).status == 201)
        let limited = api.send(.post, "/v1/domains", json: ["name": "second.example.test"], token: token)
        #expect(limited.status == 403)
        #expect(limited.json?["limit"] == 1)
        #expect(limited.json?["detail"]?.stringValue?.contains("at most 1 domains") == true)
        let deleted = api.send(.delete, "/v1/domains/never.example.test?immediately=true", token: token)
        #expect(deleted.status == 200)
        #expect(deleted.json?["status"] == "deleted")
        #expect(api.send(.post, "/v1/domains", json: ["name": "never.example.test"], token: token).status == 201)
        #expect(api.send(.post, "/v1/domains", json: ["name": "never.example.test"], token: token).status == 409)
    }
}

@Suite struct ForcedPolicyTests {
    @Test func forceTrueAcceptsAnEnforcePolicyThatMissesLiveMX() throws {
        let api = try APIHarness()
        let token = try api.signUp("erin@example.com")
        let name = "cross.example.test"
        #expect(api.send(.post, "/v1/domains", json: ["name": .string(name)], token: token).status == 201)
        let store = DataStore(pool: api.pool)
        let owner = try #require(try store.accounts.find(email: "erin@example.com"))
        let domain = try #require(try store.domains.find(accountID: owner.id, name: name))
        _ = try store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try Policy(mode: .none, mx: [], maxAge: 86_400),
            at: api.clock.now
        )
        let body: JSONValue = ["mode": "enforce", "mx": ["mx.elsewhere.example.net"], "max_age": 86_400]
        let refused = api.send(.put, "/v1/domains/\(name)/policy", json: body, token: token)
        #expect(refused.status == 422)
        #expect(refused.json?["mx_check"]?["uncovered_hosts"] == ["mx.cross.example.test"])
        #expect(refused.json?["mx_check"]?["unused_patterns"] == ["mx.elsewhere.example.net"])
        let forced = api.send(
            .put,
            "/v1/domains/\(name)/policy",
            json: ["mode": "enforce", "mx": ["mx.elsewhere.example.net"], "max_age": 86_400, "force": true],
            token: token
        )
        #expect(forced.status == 200)
        #expect(forced.json?["mode"] == "enforce")
        #expect(forced.json?["mx_check"]?["uncovered_hosts"] == ["mx.cross.example.test"])
    }
}

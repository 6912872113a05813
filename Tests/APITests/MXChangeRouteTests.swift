import API
import DNS
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store
import TestSupport
import Testing

/// Starting, showing and cancelling an MX-change plan through the API; the worker's side is in WorkerTests.
@Suite struct MXChangeRouteTests {
    private func verified(_ api: APIHarness, _ name: String, mode: PolicyMode) throws -> (token: String, id: UUID) {
        let token = try api.signUp("owner@\(name)")
        #expect(api.send(.post, "/v1/domains", json: ["name": .string(name)], token: token).status == 201)
        let store = DataStore(pool: api.pool)
        let owner = try #require(try store.accounts.find(email: "owner@\(name)"))
        let domain = try #require(try store.domains.find(accountID: owner.id, name: name))
        _ = try store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try Policy(mode: mode, mx: [try MXPattern(parsing: "mx.old.example.test")], maxAge: 604_800),
            at: api.clock.now
        )
        return (token, domain.id)
    }

    @Test func aPlanPublishesTheNewPatternsWaitsOutEnforceCachesAndCanBeCancelled() throws {
        let api = try APIHarness()
        let name = "moving.example.test"
        let (token, domainID) = try verified(api, name, mode: .enforce)
        let path = "/v1/domains/\(name)/mx-change"
        #expect(api.send(.get, path, token: token).status == 404)

        let bad = api.send(
            .post,
            path,
            json: [
                "add": ["not a host", "mx.old.example.test"], "remove": ["mx.other.example.test"],
                "temporary_max_age": 10,
            ],
            token: token
        )
        #expect(bad.status == 422)
        #expect(bad.names(field: "add[1]", rule: "already_in_policy") && bad.names(field: "add[0]", rule: "mx_pattern"))
        #expect(bad.names(field: "remove[0]", rule: "not_in_policy") && bad.names(field: "temporary_max_age"))
        #expect(api.send(.post, path, json: [:], token: token).names(field: "add", rule: "min_items"))
        #expect(
            api.send(.post, path, json: ["remove": ["mx.old.example.test"]], token: token)
                .names(field: "remove", rule: "keeps_none")
        )

        let started = api.send(
            .post,
            path,
            json: ["add": ["*.mx.new.example.test"], "remove": ["mx.old.example.test"]],
            token: token
        )
        #expect(started.status == 201, "\(APIHarness.text(started))")
        #expect(started.json?["state"] == "waiting")
        // The enforce policy served until now (max_age a week) may be cached for a week.
        let safeAt = try #require(started.json?["safe_at"]?.stringValue)
        #expect(safeAt == api.clock.now.addingTimeInterval(604_800).formatted(.iso8601))
        #expect(started.json?["steps"]?[1]?["status"] == "current")
        let policy = try #require(try DataStore(pool: api.pool).policies.current(domainID: domainID))
        #expect(policy.mx == ["mx.old.example.test", "*.mx.new.example.test"] && policy.maxAge == 86_400)
        #expect(try api.count("jobs WHERE kind = 'advance_mx_change'") == 1)

        let again = api.send(.post, path, json: ["add": ["mx3.example.test"]], token: token)
        #expect(again.status == 409 && again.json?["type"]?.stringValue?.hasSuffix("mx-change-in-progress") == true)
        let stranger = try api.signUp("stranger@example.com")
        #expect(api.send(.get, path, token: stranger).status == 404)

        let cancelled = api.send(.delete, path, token: token)
        #expect(cancelled.status == 200 && cancelled.json?["state"] == "cancelled")
        #expect(cancelled.json?["steps"]?[3]?["status"] == "skipped")
        // Cancelled while waiting: the wait never ended.
        #expect(cancelled.json?["steps"]?[1]?["status"] == "skipped")
        #expect(cancelled.json?["next_step"]?.stringValue?.contains("max_age 86400") == true)
        #expect(api.send(.delete, path, token: token).status == 404)
        #expect(api.send(.get, path, token: token).json?["state"] == "cancelled")
    }

    @Test func withoutAnEnforcePolicyEverCachedThePlanIsReadyAtOnce() throws {
        let api = try APIHarness()
        let name = "testing-move.example.test"
        let (token, _) = try verified(api, name, mode: .testing)
        let started = api.send(
            .post,
            "/v1/domains/\(name)/mx-change",
            json: ["add": ["mx.new.example.test"], "remove": ["mx.old.example.test"], "temporary_max_age": 3600],
            token: token
        )
        #expect(started.status == 201)
        #expect(started.json?["safe_at"] == started.json?["created_at"])
    }

    @Test func presetsAreSuggestionsCheckedAgainstTheLiveMX() throws {
        let api = try APIHarness()
        let name = "presets.example.test"
        let (token, _) = try verified(api, name, mode: .testing)
        try api.dns.set(zone: "example.test", owner: name, type: .mx, value: "10 presets-example.o-v1.mx.microsoft.")
        var response = api.send(.get, "/v1/domains/\(name)/mx-presets", token: token)
        try Poll.until(deadline: 10, "the MX record to be seen") {
            response = api.send(.get, "/v1/domains/\(name)/mx-presets", token: token)
            return response.json?["mx_hosts"] == ["presets-example.o-v1.mx.microsoft"]
        }
        let presets = response.json?["presets"]?.arrayValue ?? []
        let microsoft = presets.first { $0["id"] == "microsoft365" }
        #expect(microsoft?["patterns"] == ["*.mail.protection.outlook.com", "*.o-v1.mx.microsoft"])
        #expect(microsoft?["covers_live_mx"] == true)
        let google = presets.first { $0["id"] == "google" }
        #expect(
            google?["covers_live_mx"] == false && google?["uncovered_hosts"] == ["presets-example.o-v1.mx.microsoft"]
        )
        #expect(api.send(.get, "/v1/domains/other.example.test/mx-presets", token: token).status == 404)
    }
}

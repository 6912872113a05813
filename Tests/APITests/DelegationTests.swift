import API
import DNS
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store
import TestSupport
import Testing

/// The platform's own zone as the API offers it: TLS-RPT addresses, and `dns-records` recommending the CNAMEs
/// into the zone and recognising them once published.
@Suite struct DelegationTests {
    static let zone = "sts.platform.test"

    /// A verified domain of a new account; returns the session token and the domain's label.
    private func verified(_ api: APIHarness, _ name: String) throws -> (token: String, label: String) {
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
        return (token, domain.dnsLabel)
    }

    @Test func tlsrptAddressesAreValidatedStoredAndAnnounced() throws {
        let api = try APIHarness(dnsZone: Self.zone)
        let (token, label) = try verified(api, "reports.example.test")
        let path = "/v1/domains/reports.example.test/tlsrpt"
        let empty = api.send(.get, path, token: token)
        #expect(empty.status == 200)
        #expect(empty.json?["rua"] == [] && empty.json?["record"] == .null)
        #expect(empty.json?["delegation_target"] == .string("\(label)._smtp._tls.\(Self.zone)"))

        let bad = api.send(
            .put,
            path,
            json: [
                "rua": ["mailto:ok@reports.example.test", "ftp://nope.example.test/", "mailto:ok@reports.example.test"]
            ],
            token: token
        )
        #expect(bad.status == 422 && bad.isProblem)
        #expect(bad.names(field: "rua[1]", rule: "tlsrpt_uri"))
        #expect(bad.names(field: "rua[2]", rule: "duplicate"))
        #expect(api.send(.put, path, json: ["rua": "mailto:x@y.test"], token: token).names(field: "rua", rule: "type"))
        #expect(
            api.send(.put, path, json: ["addresses": []], token: token).names(field: "addresses", rule: "unknown_field")
        )

        let changesBefore = try api.count("changes")
        let set = api.send(
            .put,
            path,
            json: ["rua": ["mailto:tlsrpt@reports.example.test", "https://reports.example.test/tlsrpt"]],
            token: token
        )
        #expect(set.status == 200)
        #expect(
            set.json?["record"]
                == "v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.test,https://reports.example.test/tlsrpt"
        )
        #expect(try api.count("changes") == changesBefore + 1)
        // The same addresses again change nothing.
        #expect(api.send(.put, path, json: set.json?["rua"].map { ["rua": $0] }, token: token).status == 200)
        #expect(try api.count("changes") == changesBefore + 1)
        #expect(api.send(.put, path, json: ["rua": []], token: token).json?["record"] == .null)
    }

    @Test func dnsRecordsRecommendTheCNAMEsAndRecogniseThemOncePublished() throws {
        let api = try APIHarness(dnsZone: Self.zone)
        let name = "delegated.example.test"
        let (token, label) = try verified(api, name)
        let path = "/v1/domains/\(name)/tlsrpt"
        #expect(api.send(.put, path, json: ["rua": ["mailto:tls@example.test"]], token: token).status == 200)
        let records = { () -> [JSONValue] in
            api.send(.get, "/v1/domains/\(name)/dns-records", token: token).json?["records"]?.arrayValue ?? []
        }
        let before = records()
        let sts = try #require(before.first { $0["name"] == .string("_mta-sts.\(name)") })
        #expect(sts["type"] == "TXT" && sts["status"] == "missing")
        #expect(sts["delegation"]?["type"] == "CNAME")
        #expect(sts["delegation"]?["value"] == .string("\(label)._mta-sts.\(Self.zone)"))
        #expect(sts["delegation"]?["published"] == false && sts["published_as"] == .null)
        let reports = try #require(before.first { $0["name"] == .string("_smtp._tls.\(name)") })
        #expect(reports["delegation"]?["value"] == .string("\(label)._smtp._tls.\(Self.zone)"))
        #expect(reports["value"] == "v=TLSRPTv1; rua=mailto:tls@example.test")

        try api.dns.set(
            zone: "example.test",
            owner: "_mta-sts.\(name)",
            type: .cname,
            value: "\(label)._mta-sts.\(Self.zone)."
        )
        try api.dns.set(
            zone: "example.test",
            owner: "_smtp._tls.\(name)",
            type: .cname,
            value: "\(label.uppercased())._smtp._tls.\(Self.zone)."
        )
        try Poll.until(deadline: 10, "both CNAMEs recognised") {
            let after = records()
            return after.filter { $0["published_as"] == "cname" && $0["status"] == "found" }.count == 2
        }
    }

    @Test func withoutAZoneNothingIsOffered() throws {
        let api = try APIHarness()
        let (token, _) = try verified(api, "plain.example.test")
        let records = api.send(.get, "/v1/domains/plain.example.test/dns-records", token: token).json?["records"]
        #expect((records?.arrayValue ?? []).allSatisfy { $0["delegation"] == nil && $0["published_as"] == nil })
        let tlsrpt = api.send(.get, "/v1/domains/plain.example.test/tlsrpt", token: token)
        #expect(tlsrpt.json?["delegation_target"] == .null)
    }
}

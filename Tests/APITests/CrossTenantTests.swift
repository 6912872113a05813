import API
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store
import Testing

/// Every route that names a domain or a token answers 404 for another account's resource, exactly as for one
/// that does not exist (no existence oracle), and changes nothing.
@Suite struct CrossTenantTests {
    @Test func anotherAccountsDomainIsNotFoundOnEveryRoute() throws {
        let api = try APIHarness()
        let alice = try api.signUp("alice@example.com")
        let bob = try api.signUp("bob@example.com")
        let name = "cross.example.test"
        #expect(api.send(.post, "/v1/domains", json: ["name": .string(name)], token: alice).status == 201)
        let store = DataStore(pool: api.pool)
        let owner = try #require(try store.accounts.find(email: "alice@example.com"))
        let domain = try #require(try store.domains.find(accountID: owner.id, name: name))
        _ = try store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try Policy(
                mode: .testing,
                mx: [try MXPattern(parsing: "mx.cross.example.test")],
                maxAge: 86_400
            ),
            at: api.clock.now
        )
        let tokenID = try #require(
            api.send(.post, "/v1/tokens", json: ["name": "alice-ci"], token: alice).json?["id"]?.stringValue
        )
        let before = try ["domains", "policies", "changes", "api_tokens"].map { try api.count($0) }

        let domainRoutes = api.responder.router.routes.filter { $0.template.contains("{name}") }
        #expect(domainRoutes.count >= 9)
        for route in domainRoutes {
            for target in [name, "absent.example.test"] {
                let path = route.template.replacingOccurrences(of: "{name}", with: target)
                let body: JSONValue? =
                    route.method == .put ? ["mode": "testing", "mx": ["mx.cross.example.test"], "max_age": 600] : nil
                let response = api.send(route.method, path, json: body, token: bob)
                #expect(response.status == 404, "\(route.method) \(path) → \(response.status)")
                #expect(response.isProblem)
                #expect(response.json?["detail"] == "The domain was not found.")
            }
        }
        let deleteToken = api.send(.delete, "/v1/tokens/\(tokenID)", token: bob)
        #expect(deleteToken.status == 404)
        #expect(api.send(.get, "/v1/domains", token: bob).json?["domains"] == [])
        #expect(api.send(.get, "/v1/tokens", token: bob).json?["tokens"] == [])
        #expect(api.send(.get, "/v1/account", token: bob).json?["domain_count"] == 0)
        #expect(try ["domains", "policies", "changes", "api_tokens"].map { try api.count($0) } == before)

        // Bob may claim the same name; he then sees his own pending claim, never Alice's verified domain.
        #expect(api.send(.post, "/v1/domains", json: ["name": .string(name)], token: bob).status == 201)
        let bobsView = api.send(.get, "/v1/domains/\(name)", token: bob)
        #expect(bobsView.json?["status"] == "pending_verification")
        #expect(api.send(.get, "/v1/domains/\(name)/policy", token: bob).status == 404)
        #expect(api.send(.get, "/v1/domains/\(name)", token: alice).json?["status"] == "verified")
        #expect(
            api.send(.get, "/v1/domains/\(name)/policy/history", token: alice).json?["policies"]?.arrayValue?.count == 1
        )
    }
}

import API
import Crypto
import Database
import Foundation
import HTTPCore
import JSON
import Store
import Testing

/// `/v1/webhooks`: creation with the secret shown once, the URL rules (SSRF included), limits, tenant isolation,
/// test events and the delivery log, through the real responder on a fresh database.
@Suite struct WebhookRoutesTests {
    @Test func aWebhookIsCreatedWithItsSecretShownOnceThenListedReadAndDeleted() throws {
        let api = try APIHarness()
        let token = try api.signUp("hooks@example.com")
        let created = api.send(
            .post,
            "/v1/webhooks",
            json: ["url": "https://Hooks.Example.com:443/mtasts?k=1", "description": "ops channel"],
            token: token
        )
        #expect(created.status == 201, "\(APIHarness.text(created))")
        let id = try #require(created.json?["id"]?.stringValue)
        #expect(created.fields[.location] == "/v1/webhooks/\(id)")
        // Stored as the worker sends it: host lower-cased, default port dropped.
        #expect(created.json?["url"] == "https://hooks.example.com/mtasts?k=1")
        #expect(created.json?["description"] == "ops channel")
        #expect(created.json?["created_at"]?.stringValue?.hasSuffix("Z") == true)
        let secret = try #require(created.json?["secret"]?.stringValue)
        #expect(secret.hasPrefix("whsec_"))
        #expect(Base64URL.decode(secret.dropFirst(6))?.count == 32)

        let list = api.send(.get, "/v1/webhooks", token: token)
        #expect(list.status == 200)
        #expect(list.json?["webhooks"]?.arrayValue?.map { $0["id"] } == [.string(id)])
        let single = api.send(.get, "/v1/webhooks/\(id)", token: token)
        #expect(single.status == 200 && single.json?["url"] == "https://hooks.example.com/mtasts?k=1")
        for response in [list, single] {
            #expect(!APIHarness.text(response).contains(secret))
            #expect(!APIHarness.text(response).contains("secret"))
        }
        // Only the ciphertext is stored, sealed with the master key for this row.
        try api.pool.withConnection { connection in
            let row = try #require(try connection.query("SELECT secret_ciphertext FROM webhooks").first)
            let stored = try row.decode(PostgresBytes.self, at: 0)
            #expect(!String(decoding: stored.bytes, as: UTF8.self).contains(secret))
        }
        let store = DataStore(pool: api.pool)
        let account = try #require(try store.accounts.find(email: "hooks@example.com"))
        try store.notifications.enqueue(
            .test(at: api.clock.now),
            accountID: account.id,
            at: api.clock.now
        )
        let due = try #require(try store.webhookDeliveries(workerID: "t").take(at: api.clock.now, lease: .seconds(9)))
        #expect(try due.secret.open(with: api.keyring) == Array(secret.utf8))

        #expect(api.send(.delete, "/v1/webhooks/\(id)", token: token).status == 204)
        #expect(api.send(.get, "/v1/webhooks/\(id)", token: token).status == 404)
        #expect(api.send(.delete, "/v1/webhooks/\(id)", token: token).status == 404)
        #expect(api.send(.get, "/v1/webhooks", token: token).json?["webhooks"] == [])
        #expect(try api.count("notification_deliveries") == 0)
        #expect(api.send(.get, "/v1/webhooks").status == 401)
    }

    @Test func anotherAccountsWebhookIsNotFoundOnEveryRoute() throws {
        let api = try APIHarness()
        let alice = try api.signUp("alice@example.com")
        let bob = try api.signUp("bob@example.com")
        let id = try #require(
            api.send(.post, "/v1/webhooks", json: ["url": "https://alice.example.com/hook"], token: alice)
                .json?["id"]?.stringValue
        )
        #expect(api.send(.post, "/v1/webhooks/\(id)/test", token: alice).status == 202)
        let before = try ["webhooks", "notification_deliveries"].map { try api.count($0) }

        let routes = api.responder.router.routes.filter { $0.template.hasPrefix("/v1/webhooks/{id}") }
        #expect(routes.count == 4)
        for route in routes {
            for target in [id, UUID().uuidString.lowercased(), "not-a-uuid"] {
                let path = route.template.replacingOccurrences(of: "{id}", with: target)
                let response = api.send(route.method, path, token: bob)
                #expect(response.status == 404, "\(route.method) \(path) → \(response.status)")
                #expect(response.isProblem && response.json?["detail"] == "The webhook was not found.")
            }
        }
        #expect(api.send(.get, "/v1/webhooks", token: bob).json?["webhooks"] == [])
        #expect(try ["webhooks", "notification_deliveries"].map { try api.count($0) } == before)
        #expect(api.send(.get, "/v1/webhooks/\(id)", token: alice).status == 200)
    }

    @Test(arguments: [
        (JSONValue.string("http://hooks.example.com/"), "scheme"),
        ("ftp://hooks.example.com/", "scheme"),
        ("hooks.example.com/hook", "scheme"),
        ("https://user:secret@hooks.example.com/", "userinfo"),
        ("https://hooks.example.com@169.254.169.254/", "userinfo"),
        ("https://hooks.example.com/#section", "fragment"),
        ("https://hooks example.com/", "url"),
        ("https://hooks.example.com:99999/", "url"),
        ("https:///path", "url"),
        (.string("https://hooks.example.com/" + String(repeating: "a", count: 2048)), "max_length"),
        ("", "required"),
        (.int(443), "type"),
        ("https://127.0.0.1/hook", "public_address"),
        ("https://127.1.2.3:8443/hook", "public_address"),
        ("https://[::1]/hook", "public_address"),
        ("https://[::ffff:127.0.0.1]/hook", "public_address"),
        ("https://169.254.169.254/latest/meta-data/", "public_address"),
        ("https://10.0.0.7/hook", "public_address"),
        ("https://172.16.0.1/hook", "public_address"),
        ("https://192.168.1.1/hook", "public_address"),
        ("https://100.64.0.1/hook", "public_address"),
        ("https://0.0.0.0/hook", "public_address"),
        ("https://224.0.0.1/hook", "public_address"),
        ("https://[fd00::1]/hook", "public_address"),
        ("https://[fe80::1]/hook", "public_address"),
        ("https://[64:ff9b::a9fe:a9fe]/hook", "public_address"),
        ("https://localhost/hook", "public_address"),
        ("https://api.localhost./hook", "public_address"),
    ])
    func badURLsNameTheFieldAndTheRule(url: JSONValue, rule: String) throws {
        let api = try APIHarness()
        let token = try api.signUp("rules@example.com")
        let response = api.send(.post, "/v1/webhooks", json: ["url": url], token: token)
        #expect(response.status == 422, "\(url) → \(response.status)")
        #expect(response.isProblem)
        #expect(response.names(field: "url", rule: rule), "\(url): \(APIHarness.text(response))")
        #expect(try api.count("webhooks") == 0)
    }

    @Test func otherBadRequestsAreRefusedWithoutARow() throws {
        let api = try APIHarness()
        let token = try api.signUp("other@example.com")
        let url: JSONValue = "https://hooks.example.com/"
        let cases: [(JSONValue, String, String)] = [
            (["url": url, "description": .string(String(repeating: "d", count: 201))], "description", "max_length"),
            (["url": url, "description": "line\nbreak"], "description", "characters"),
            (["url": url, "description": 7], "description", "type"),
            (["url": url, "secret": "mine"], "secret", "unknown_field"),
            ([:], "url", "required"),
        ]
        for (body, field, rule) in cases {
            let response = api.send(.post, "/v1/webhooks", json: body, token: token)
            #expect(response.status == 422 && response.names(field: field, rule: rule), "\(APIHarness.text(response))")
        }
        let plain = api.send(.post, "/v1/webhooks", body: Array("url=x".utf8), token: token, contentType: "text/plain")
        #expect(plain.status == 415)
        #expect(api.send(.post, "/v1/webhooks", body: Array("{".utf8), token: token).status == 400)
        #expect(api.send(.post, "/v1/webhooks", body: Array("[]".utf8), token: token).status == 400)
        #expect(try api.count("webhooks") == 0)
    }

    @Test func theOperatorCanAllowHTTPAndPrivateReceivers() throws {
        let insecure = try APIHarness(webhookRules: WebhookURLRules(allowsInsecureHTTP: true))
        let token = try insecure.signUp("insecure@example.com")
        let http = insecure.send(.post, "/v1/webhooks", json: ["url": "http://hooks.example.com/"], token: token)
        #expect(http.status == 201)
        // http alone does not open the loopback.
        let loopback = insecure.send(.post, "/v1/webhooks", json: ["url": "http://127.0.0.1:9/"], token: token)
        #expect(loopback.status == 422 && loopback.names(field: "url", rule: "public_address"))

        let both = try APIHarness(
            webhookRules: WebhookURLRules(allowsInsecureHTTP: true, allowsPrivateAddresses: true)
        )
        let tester = try both.signUp("tester@example.com")
        for url in ["http://127.0.0.1:9/hook", "https://[::1]:8443/", "http://localhost:9/", "https://10.0.0.7/"] {
            let response = both.send(.post, "/v1/webhooks", json: ["url": .string(url)], token: tester)
            #expect(response.status == 201, "\(url): \(APIHarness.text(response))")
        }
    }

    @Test func anAccountHoldsAtMostTenWebhooksEachURLOnce() throws {
        let api = try APIHarness()
        let token = try api.signUp("limit@example.com")
        for index in 0..<10 {
            let url = JSONValue.string("https://hooks.example.com/\(index)")
            #expect(api.send(.post, "/v1/webhooks", json: ["url": url], token: token).status == 201)
        }
        let over = api.send(.post, "/v1/webhooks", json: ["url": "https://hooks.example.com/10"], token: token)
        #expect(over.status == 409 && over.isProblem)
        #expect(over.json?["type"] == "https://api.platform.test/problems/webhook-limit-reached")
        #expect(over.json?["limit"] == 10)
        let again = api.send(.post, "/v1/webhooks", json: ["url": "https://HOOKS.example.com:443/3"], token: token)
        #expect(again.status == 409)
        #expect(again.json?["type"] == "https://api.platform.test/problems/webhook-exists")
        #expect(try api.count("webhooks") == 10)
    }

    @Test func aTestEventIsQueuedAndTheLogIsPagedNewestFirst() throws {
        let api = try APIHarness()
        let token = try api.signUp("log@example.com")
        let id = try #require(
            api.send(.post, "/v1/webhooks", json: ["url": "https://hooks.example.com/"], token: token)
                .json?["id"]?.stringValue
        )
        var deliveries: [String] = []
        for _ in 0..<3 {
            let test = api.send(.post, "/v1/webhooks/\(id)/test", token: token)
            #expect(test.status == 202, "\(APIHarness.text(test))")
            #expect(test.json?["type"] == "test" && test.json?["status"] == "pending")
            #expect(test.json?["attempts"] == 0 && test.json?["last_status"] == .null)
            #expect(test.json?["event"]?["type"] == "test" && test.json?["event"]?["severity"] == "info")
            #expect(test.json?["event"]?["domain"] == nil)
            deliveries.append(try #require(test.json?["id"]?.stringValue))
            api.clock.advance(by: 1)
        }
        let first = api.send(.get, "/v1/webhooks/\(id)/deliveries?limit=2", token: token)
        #expect(first.status == 200)
        #expect(
            first.json?["deliveries"]?.arrayValue?.map { $0["id"] }
                == deliveries.reversed().prefix(2).map { .string($0) }
        )
        let next = try #require(first.json?["next_after"]?.stringValue)
        let second = api.send(.get, "/v1/webhooks/\(id)/deliveries?limit=2&after=\(next)", token: token)
        #expect(second.json?["deliveries"]?.arrayValue?.map { $0["id"] } == [.string(deliveries[0])])
        #expect(second.json?["next_after"] == .null)

        let badLimit = api.send(.get, "/v1/webhooks/\(id)/deliveries?limit=0", token: token)
        #expect(badLimit.status == 422 && badLimit.names(field: "limit", rule: "range"))
        let badAfter = api.send(.get, "/v1/webhooks/\(id)/deliveries?after=yesterday", token: token)
        #expect(badAfter.status == 422 && badAfter.names(field: "after", rule: "uuid"))
    }

    @Test func testEventsAreRateLimitedPerAccount() throws {
        let api = try APIHarness()
        let token = try api.signUp("burst@example.com")
        let id = try #require(
            api.send(.post, "/v1/webhooks", json: ["url": "https://hooks.example.com/"], token: token)
                .json?["id"]?.stringValue
        )
        for _ in 0..<30 { #expect(api.send(.post, "/v1/webhooks/\(id)/test", token: token).status == 202) }
        let refused = api.send(.post, "/v1/webhooks/\(id)/test", token: token)
        #expect(refused.status == 429 && refused.isProblem)
        #expect(refused.json?["type"] == "https://api.platform.test/problems/too-many-test-events")
        #expect(Int(refused.fields[.retryAfter] ?? "") == 3600)
        #expect(try api.count("notification_deliveries") == 30)
        api.clock.advance(by: 3601)
        #expect(api.send(.post, "/v1/webhooks/\(id)/test", token: token).status == 202)
    }
}

import API
import DNS
import Database
import Foundation
import HTTPCore
import JSON
import Store
import TestSupport
import Testing

/// The audit log through the API: every state-changing route declares its entry, every one of them writes it with
/// the right actor, request id and source address, and `GET /v1/audit-log` shows a tenant its own, a page at a time.
@Suite struct AuditLogTests {
    /// Every state-changing route and the action it records; a new route must be added here (or exempted).
    static let expectedActions: [String: String] = [
        "POST /v1/accounts": "account.create",
        "PUT /v1/account/password": "account.password_change",
        "DELETE /v1/account": "account.close",
        "PUT /v1/account/alerts": "account.alerts_update",
        "POST /v1/sessions": "session.create",
        "DELETE /v1/sessions/current": "session.end",
        "DELETE /v1/sessions/{id}": "session.revoke",
        "POST /v1/tokens": "token.create",
        "DELETE /v1/tokens/{id}": "token.revoke",
        "POST /v1/domains": "domain.create",
        "DELETE /v1/domains/{name}": "domain.delete",
        "POST /v1/domains/{name}/verify": "domain.verify",
        "PUT /v1/domains/{name}/policy": "policy.update",
        "PUT /v1/domains/{name}/tlsrpt": "tlsrpt.update",
        "POST /v1/domains/{name}/certificate/retry": "certificate.retry",
        "POST /v1/domains/{name}/mx-change": "mx_change.create",
        "DELETE /v1/domains/{name}/mx-change": "mx_change.cancel",
        "POST /v1/webhooks": "webhook.create",
        "DELETE /v1/webhooks/{id}": "webhook.delete",
        "POST /v1/webhooks/{id}/test": "webhook.test",
    ]
    /// State-changing routes that write no entry, each for a stated reason.
    static let exempt: Set<String> = ["POST /v1/checks"]

    @Test func everyStateChangingRouteDeclaresItsEntry() throws {
        let api = try APIHarness()
        let changing = api.responder.router.routes.filter { $0.method != .get }
        var declared: [String: String] = [:]
        var exempted: Set<String> = []
        for route in changing {
            let key = "\(route.method.rawValue) \(route.template)"
            switch route.audit {
            case .recorded(let action, _)?: declared[key] = action
            case .exempt(let reason)?:
                #expect(!reason.isEmpty)
                exempted.insert(key)
            case nil: Issue.record("\(key) declares no audit entry")
            }
        }
        #expect(declared == Self.expectedActions)
        #expect(exempted == Self.exempt)
        #expect(api.responder.router.routes.filter { $0.method == .get }.allSatisfy { $0.audit == nil })

        // The contract lists the same state-changing operations (so a route added to both is caught here too).
        let text = try String(
            contentsOf: RepositoryPaths.root.appendingPathComponent("docs/openapi.yaml"),
            encoding: .utf8
        )
        let paths = try #require(try YAMLKeyTree(parsing: text)["paths"])
        var documented: Set<String> = []
        for path in paths.keys {
            for method in paths[path]?.keys ?? [] where ["post", "put", "patch", "delete"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(documented == Set(Self.expectedActions.keys).union(Self.exempt))
    }

    @Test func everyStateChangingCallWritesItsEntry() throws {
        let api = try APIHarness(alertMailAvailable: true)
        let store = DataStore(pool: api.pool)
        let name = "audit.example.test"
        let zone = "example.test"
        let address = "198.51.100.23"
        var expected: [(action: String, requestID: String, kind: AuditActorKind, actor: String, target: String?)] = []

        func call(
            _ method: HTTPMethod,
            _ path: String,
            json: JSONValue? = nil,
            token: String? = nil,
            status: Int,
            file: String = #fileID,
            line: Int = #line
        ) throws -> TestResponse {
            let response = api.send(method, path, json: json, token: token, remoteAddress: address)
            try #require(
                response.status == status,
                "\(method.rawValue) \(path): \(APIHarness.text(response))",
                sourceLocation: SourceLocation(fileID: file, filePath: file, line: line, column: 1)
            )
            return response
        }
        func requestID(_ response: TestResponse) throws -> String {
            try #require(response.fields[HTTPField.Name("X-Request-ID")!])
        }

        // Sign-up: logged against the new account, acted by its new session.
        let signedUp = try call(
            .post,
            "/v1/accounts",
            json: ["email": "audit@example.com", "password": "correct horse battery"],
            status: 201
        )
        let session = try #require(signedUp.json?["token"]?["value"]?.stringValue)
        let sessionID = try #require(signedUp.json?["token"]?["id"]?.stringValue)
        let accountText = try #require(signedUp.json?["account"]?["id"]?.stringValue)
        let accountID = try #require(UUID(uuidString: accountText))
        expected.append(("account.create", try requestID(signedUp), .account, sessionID, nil))

        let login = try call(
            .post,
            "/v1/sessions",
            json: ["email": "audit@example.com", "password": "correct horse battery"],
            status: 201
        )
        let second = try #require(login.json?["id"]?.stringValue)
        expected.append(("session.create", try requestID(login), .account, second, second))
        let revoked = try call(.delete, "/v1/sessions/\(second)", token: session, status: 204)
        expected.append(("session.revoke", try requestID(revoked), .account, sessionID, second))

        let created = try call(.post, "/v1/tokens", json: ["name": "ci"], token: session, status: 201)
        let tokenID = try #require(created.json?["id"]?.stringValue)
        let secret = try #require(created.json?["value"]?.stringValue)
        expected.append(("token.create", try requestID(created), .account, sessionID, tokenID))

        // The API token acts as itself: its id, never its value.
        let added = try call(.post, "/v1/domains", json: ["name": "Audit.Example.Test."], token: secret, status: 201)
        expected.append(("domain.create", try requestID(added), .token, tokenID, name))
        let value = try #require(added.json?["verification"]?["value"]?.stringValue)
        try api.dns.replace(zone: zone, owner: "_mtasts-verify." + name, type: .txt, values: [value])
        try api.dns.replace(zone: zone, owner: name, type: .mx, values: ["10 mx.audit.example.test."])
        var verified: TestResponse?
        try Poll.until(deadline: 10, "verification succeeds") {
            let response = api.send(.post, "/v1/domains/\(name)/verify", token: secret, remoteAddress: address)
            verified = response
            return response.status == 200
        }
        let verifiedResponse = try #require(verified)
        expected.append(("domain.verify", try requestID(verifiedResponse), .token, tokenID, name))

        api.clock.advance(by: 2)
        let plan = try call(
            .post,
            "/v1/domains/\(name)/mx-change",
            json: ["add": ["mx.new.example.test"]],
            token: secret,
            status: 201
        )
        expected.append(("mx_change.create", try requestID(plan), .token, tokenID, name))
        let cancelled = try call(.delete, "/v1/domains/\(name)/mx-change", token: secret, status: 200)
        expected.append(("mx_change.cancel", try requestID(cancelled), .token, tokenID, name))

        api.clock.advance(by: 2)
        let current = try call(.get, "/v1/domains/\(name)/policy", token: secret, status: 200)
        let oldPolicyID = try #require(current.json?["id"]?.stringValue)
        let policy = try call(
            .put,
            "/v1/domains/\(name.uppercased())/policy",
            json: ["mode": "none", "max_age": 86_400],
            token: secret,
            status: 200
        )
        let newPolicyID = try #require(policy.json?["id"]?.stringValue)
        expected.append(("policy.update", try requestID(policy), .token, tokenID, name))
        let tlsrpt = try call(
            .put,
            "/v1/domains/\(name)/tlsrpt",
            json: ["rua": ["mailto:tlsrpt@example.com"]],
            token: secret,
            status: 200
        )
        expected.append(("tlsrpt.update", try requestID(tlsrpt), .token, tokenID, name))
        let domainID = try #require(try store.domains.find(accountID: accountID, name: name)?.id)
        try store.certificates.setState(domainID: domainID, status: .waitingForTenant, error: "ACME: refused")
        let retry = try call(.post, "/v1/domains/\(name)/certificate/retry", token: secret, status: 200)
        expected.append(("certificate.retry", try requestID(retry), .token, tokenID, name))
        let hook = try call(
            .post,
            "/v1/webhooks",
            json: ["url": "https://hooks.example.com/mtasts"],
            token: secret,
            status: 201
        )
        let hookID = try #require(hook.json?["id"]?.stringValue)
        expected.append(("webhook.create", try requestID(hook), .token, tokenID, hookID))
        let test = try call(.post, "/v1/webhooks/\(hookID)/test", token: secret, status: 202)
        expected.append(("webhook.test", try requestID(test), .token, tokenID, hookID))
        let unhooked = try call(.delete, "/v1/webhooks/\(hookID)", token: secret, status: 204)
        expected.append(("webhook.delete", try requestID(unhooked), .token, tokenID, hookID))
        let alerts = try call(.put, "/v1/account/alerts", json: ["email_recipients": []], token: secret, status: 200)
        expected.append(("account.alerts_update", try requestID(alerts), .token, tokenID, nil))
        let deleted = try call(.delete, "/v1/domains/\(name)", token: secret, status: 202)
        expected.append(("domain.delete", try requestID(deleted), .token, tokenID, name))

        let untokened = try call(.delete, "/v1/tokens/\(tokenID)", token: session, status: 204)
        expected.append(("token.revoke", try requestID(untokened), .account, sessionID, tokenID))
        let password = try call(
            .put,
            "/v1/account/password",
            json: ["current_password": "correct horse battery", "new_password": "another horse battery"],
            token: session,
            status: 200
        )
        expected.append(("account.password_change", try requestID(password), .account, sessionID, nil))
        let third = try api.logIn("audit@example.com", password: "another horse battery", remoteAddress: address)
        let thirdID = try #require(
            try store.tokens.list(accountID: accountID, kind: .session, at: api.clock.now)
                .first { $0.id.uuidString.lowercased() != sessionID }?.id.uuidString.lowercased()
        )
        expected.append(("session.create", "", .account, thirdID, thirdID))
        let ended = try call(.delete, "/v1/sessions/current", token: third, status: 204)
        expected.append(("session.end", try requestID(ended), .account, thirdID, thirdID))
        let closed = try call(
            .delete,
            "/v1/account",
            json: ["password": "another horse battery"],
            token: session,
            status: 200
        )
        expected.append(("account.close", try requestID(closed), .account, sessionID, nil))
        // Refused calls write nothing.
        #expect(api.send(.delete, "/v1/tokens/\(tokenID)", token: session).status == 401)

        let entries = try store.auditLog.list(accountID: accountID, limit: 100).reversed()
        #expect(entries.map(\.action) == expected.map(\.action))
        for (entry, want) in zip(entries, expected) {
            #expect(entry.actor == want.kind, "\(entry.action)")
            #expect(entry.actorDetail == want.actor, "\(entry.action)")
            #expect(entry.target == want.target, "\(entry.action)")
            #expect(entry.sourceAddress == address, "\(entry.action)")
            #expect(entry.accountID == accountID)
            if !want.requestID.isEmpty { #expect(entry.requestID == want.requestID, "\(entry.action)") }
        }
        // Every declared action was exercised.
        #expect(Set(entries.map(\.action)) == Set(Self.expectedActions.values))
        let update = try #require(entries.first { $0.action == "policy.update" })
        #expect(update.details["old_mode"] == "testing")
        #expect(update.details["new_mode"] == "none")
        #expect(update.details["old_policy_id"] == oldPolicyID)
        #expect(update.details["policy_id"] == newPolicyID)
        #expect(entries.first { $0.action == "token.create" }?.details == ["name": "ci"])
        // No secret anywhere in the log: not the token, not a password.
        for needle in [secret, session, third, "correct horse battery", "another horse battery"] {
            let hits = try api.pool.withConnection { connection in
                try connection.query(
                    "SELECT count(*) FROM audit_log WHERE audit_log::text LIKE '%' || \(needle) || '%'"
                )
                .first?.decode(Int.self, at: 0)
            }
            #expect(hits == 0)
        }
    }

    @Test func theRouteShowsATenantItsOwnEntriesNewestFirstAPageAtATime() throws {
        let api = try APIHarness()
        let alice = try api.signUp("alice@audit.example")
        let bob = try api.signUp("bob@audit.example")
        for index in 0..<3 {
            #expect(
                api.send(.post, "/v1/domains", json: ["name": .string("a\(index).audit.test")], token: alice).status
                    == 201
            )
        }
        #expect(api.send(.post, "/v1/domains", json: ["name": "b.audit.test"], token: bob).status == 201)

        let first = api.send(.get, "/v1/audit-log?limit=2", token: alice)
        #expect(first.status == 200, "\(APIHarness.text(first))")
        let page = try #require(first.json?["entries"]?.arrayValue)
        #expect(page.map { $0["target"] } == ["a2.audit.test", "a1.audit.test"])
        #expect(page[0]["action"] == "domain.create")
        #expect(page[0]["actor"]?["kind"] == "account")
        #expect(page[0]["source_address"] == "192.0.2.1")
        #expect(page[0]["request_id"]?.stringValue?.count == 16)
        #expect(page[0]["details"] == .object([]))
        let cursor = try #require(first.json?["next_before"]?.intValue)
        let second = api.send(.get, "/v1/audit-log?limit=2&before=\(cursor)", token: alice)
        let rest = try #require(second.json?["entries"]?.arrayValue)
        #expect(rest.map { $0["action"] } == ["domain.create", "account.create"])
        #expect(second.json?["next_before"] == .null)

        let theirs = api.send(.get, "/v1/audit-log", token: bob)
        #expect(theirs.json?["entries"]?.arrayValue?.map { $0["action"] } == ["domain.create", "account.create"])
        #expect(theirs.json?["entries"]?.arrayValue?.first?["target"] == "b.audit.test")

        let filtered = api.send(.get, "/v1/audit-log?domain=A1.Audit.Test.", token: alice)
        #expect(filtered.json?["entries"]?.arrayValue?.map { $0["target"] } == ["a1.audit.test"])
        let byAction = api.send(.get, "/v1/audit-log?action=account.create", token: alice)
        #expect(byAction.json?["entries"]?.arrayValue?.count == 1)
        #expect(api.send(.get, "/v1/audit-log?domain=b.audit.test", token: alice).json?["entries"] == [])

        #expect(api.send(.get, "/v1/audit-log?limit=0", token: alice).names(field: "limit", rule: "range"))
        #expect(api.send(.get, "/v1/audit-log?before=x", token: alice).names(field: "before", rule: "cursor"))
        #expect(api.send(.get, "/v1/audit-log?action=Domain", token: alice).names(field: "action", rule: "format"))
        #expect(api.send(.get, "/v1/audit-log?domain=", token: alice).names(field: "domain"))
        #expect(api.send(.get, "/v1/audit-log?limit=%zz", token: alice).status == 400)
        #expect(api.send(.get, "/v1/audit-log").status == 401)
        // Reading the log is not itself logged.
        #expect(api.send(.get, "/v1/audit-log", token: alice).json?["entries"]?.arrayValue?.count == 4)
    }
}

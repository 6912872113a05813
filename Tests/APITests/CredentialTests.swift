import API
import Crypto
import Foundation
import HTTPCore
import JSON
import Store
import Synchronization
import TestSupport
import Testing

/// Sign-up, login, sessions, tokens, password change and account closure, as an attacker and as the owner.
@Suite struct CredentialTests {
    private static let password = "correct horse battery"

    private func logIn(_ api: APIHarness, _ email: String, _ password: String, from address: String) -> TestResponse {
        api.send(
            .post,
            "/v1/sessions",
            json: ["email": .string(email), "password": .string(password)],
            remoteAddress: address
        )
    }

    @Test func wrongPasswordsSlowTheirAddressDownButNeverLockTheOwnerOut() throws {
        let api = try APIHarness()
        _ = try api.signUp("dave@example.com")
        for _ in 0..<5 {
            #expect(logIn(api, "dave@example.com", "wrong password", from: "203.0.113.5").status == 401)
            api.clock.advance(by: 10)
        }
        // The guessing address waits after its fifth failure, even with the right password …
        #expect(logIn(api, "dave@example.com", "wrong password", from: "203.0.113.5").status == 401)
        let slowed = logIn(api, "dave@example.com", Self.password, from: "203.0.113.5")
        #expect(slowed.status == 429)
        #expect(slowed.json?["type"]?.stringValue?.hasSuffix("/too-many-login-attempts") == true)
        let wait = try #require(Int(slowed.fields[.retryAfter] ?? ""))
        #expect(wait > 0 && wait <= 300)
        // … while the owner elsewhere logs in at once …
        #expect(logIn(api, "dave@example.com", Self.password, from: "198.51.100.20").status == 201)
        // … and the guessing address gets its turn once the delay has run.
        api.clock.advance(by: TimeInterval(wait))
        #expect(logIn(api, "dave@example.com", Self.password, from: "203.0.113.5").status == 201)
        // A success forgets that address's failures.
        #expect(logIn(api, "dave@example.com", "wrong password", from: "203.0.113.5").status == 401)
    }

    @Test func oneAddressCannotSprayPasswordsOverManyAccounts() throws {
        let api = try APIHarness(loginLimits: .init(attemptsPerAddress: 10))
        _ = try api.signUp("erin@example.com")
        for index in 0..<10 {
            #expect(logIn(api, "x\(index)@example.com", "wrong password", from: "203.0.113.9").status == 401)
        }
        let refused = logIn(api, "erin@example.com", Self.password, from: "203.0.113.9")
        #expect(refused.status == 429)
        #expect(Int(refused.fields[.retryAfter] ?? "") == 900)
        // IPv6 clients are counted by address here, so another address is unaffected.
        #expect(logIn(api, "erin@example.com", Self.password, from: "2001:db8::7").status == 201)
        api.clock.advance(by: 901)
        #expect(logIn(api, "erin@example.com", Self.password, from: "203.0.113.9").status == 201)
    }

    @Test func aBurstOfParallelGuessesGetsNoMoreTriesThanASequence() throws {
        let api = try APIHarness()
        _ = try api.signUp("burst@example.com")
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let status = logIn(api, "burst@example.com", "wrong password", from: "203.0.113.44").status
            statuses.withLock { $0.append(status) }
        }
        let seen = statuses.withLock { $0 }
        // Three free failures and the fourth (its delay counts from the newest, at the same instant) is refused:
        // only the failures before the delay starts are checked against the password.
        #expect(seen.filter { $0 == 401 }.count == APIEnvironment.LoginLimits().freeFailures + 1)
        #expect(seen.filter { $0 == 429 }.count == 16 - APIEnvironment.LoginLimits().freeFailures - 1)
    }

    @Test func unknownEmailsAreCheckedAgainstADecoyOfTheRealCost() throws {
        let hasher = PasswordHasher(parameters: .default)
        let decoy = try SessionRoutes.decoyHash(hasher)
        #expect(decoy.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
        #expect(try SessionRoutes.decoyHash(hasher) == decoy)
        let api = try APIHarness()
        let unknown = logIn(api, "nobody@example.com", Self.password, from: "203.0.113.61")
        let wrong = logIn(api, "nobody@example.com", "x", from: "203.0.113.62")
        #expect(unknown.status == 401 && wrong.status == 401)
        #expect(unknown.json?["detail"] == wrong.json?["detail"])
    }

    @Test func apiTokensCannotMintTokensAndExpireByDefault() throws {
        let api = try APIHarness()
        let session = try api.signUp("fay@example.com")
        let created = api.send(.post, "/v1/tokens", json: ["name": "ci"], token: session)
        #expect(created.status == 201)
        let token = try #require(created.json?["value"]?.stringValue)
        let expires = try #require(created.json?["expires_at"]?.stringValue)
        #expect(expires == api.clock.now.addingTimeInterval(90 * 86_400).formatted(.iso8601))
        let minted = api.send(.post, "/v1/tokens", json: ["name": "escalate"], token: token)
        #expect(minted.status == 403)
        #expect(minted.json?["type"]?.stringValue?.hasSuffix("/session-required") == true)
        #expect(api.send(.get, "/v1/tokens", token: token).status == 200)
        let tooLong = api.send(
            .post,
            "/v1/tokens",
            json: ["name": "forever", "expires_in": .int(366 * 86_400)],
            token: session
        )
        #expect(tooLong.status == 422 && tooLong.names(field: "expires_in", rule: "range"))
        for index in 1..<50 {
            #expect(api.send(.post, "/v1/tokens", json: ["name": .string("t\(index)")], token: session).status == 201)
        }
        let over = api.send(.post, "/v1/tokens", json: ["name": "t50"], token: session)
        #expect(over.status == 409 && over.json?["limit"] == 50)
        api.clock.advance(by: 90 * 86_400 + 1)
        #expect(api.send(.get, "/v1/account", token: token).status == 401)
    }

    @Test func aPasswordChangeEndsEveryOtherSessionAndOptionallyEveryToken() throws {
        let api = try APIHarness()
        let first = try api.signUp("gus@example.com")
        let second = try api.logIn("gus@example.com", remoteAddress: "198.51.100.3")
        let created = api.send(.post, "/v1/tokens", json: ["name": "ci"], token: first)
        let token = try #require(created.json?["value"]?.stringValue)
        let change: JSONValue = ["current_password": .string(Self.password), "new_password": "a new long passphrase"]
        #expect(api.send(.put, "/v1/account/password", json: change, token: token).status == 403)
        let wrong = api.send(
            .put,
            "/v1/account/password",
            json: ["current_password": "not it", "new_password": "a new long passphrase"],
            token: first
        )
        #expect(wrong.status == 422 && wrong.names(field: "current_password", rule: "password"))
        let short = api.send(
            .put,
            "/v1/account/password",
            json: ["current_password": .string(Self.password), "new_password": "short"],
            token: first
        )
        #expect(short.status == 422 && short.names(field: "new_password", rule: "min_length"))
        let changed = api.send(.put, "/v1/account/password", json: change, token: first)
        #expect(changed.status == 200)
        #expect(changed.json?["sessions_revoked"] == 1 && changed.json?["tokens_revoked"] == 0)
        #expect(api.send(.get, "/v1/account", token: second).status == 401)
        #expect(api.send(.get, "/v1/account", token: first).status == 200)
        #expect(api.send(.get, "/v1/account", token: token).status == 200)
        #expect(logIn(api, "gus@example.com", Self.password, from: "198.51.100.3").status == 401)
        #expect(logIn(api, "gus@example.com", "a new long passphrase", from: "198.51.100.3").status == 201)
        let revoking = api.send(
            .put,
            "/v1/account/password",
            json: [
                "current_password": "a new long passphrase", "new_password": "yet another passphrase",
                "revoke_tokens": true,
            ],
            token: first
        )
        #expect(revoking.json?["tokens_revoked"] == 1)
        #expect(api.send(.get, "/v1/account", token: token).status == 401)
    }

    @Test func sessionsAreListedWithTheirOriginAndRevokedOneByOne() throws {
        let api = try APIHarness()
        let mine = try api.signUp("hal@example.com")
        let other = try api.logIn("hal@example.com", remoteAddress: "198.51.100.77")
        let listed = api.send(.get, "/v1/sessions", token: mine)
        #expect(listed.status == 200)
        let sessions = try #require(listed.json?["sessions"]?.arrayValue)
        #expect(sessions.count == 2)
        #expect(!APIHarness.text(listed).contains(other) && !APIHarness.text(listed).contains(mine))
        let current = try #require(sessions.first { $0["current"] == true })
        let elsewhere = try #require(sessions.first { $0["current"] == false })
        #expect(current["created_from"] == "192.0.2.1")
        #expect(elsewhere["created_from"] == "198.51.100.77")
        let id = try #require(elsewhere["id"]?.stringValue)
        let stranger = try api.signUp("ivy@example.com", remoteAddress: "198.51.100.78")
        #expect(api.send(.delete, "/v1/sessions/\(id)", token: stranger).status == 404)
        #expect(api.send(.delete, "/v1/sessions/\(id)", token: mine).status == 204)
        #expect(api.send(.get, "/v1/account", token: other).status == 401)
        #expect(api.send(.delete, "/v1/sessions/not-a-uuid", token: mine).status == 404)
        #expect(api.send(.delete, "/v1/sessions/current", token: mine).status == 204)
        #expect(api.send(.get, "/v1/account", token: mine).status == 401)
    }

    @Test func sessionsExpireAndTheOldestMakesWayBeyondTheLimit() throws {
        let api = try APIHarness()
        let first = try api.signUp("jo@example.com")
        for index in 1..<SessionRoutes.maximumSessions {
            api.clock.advance(by: 1)
            _ = try api.logIn("jo@example.com", remoteAddress: "198.51.100.\(index)")
        }
        api.clock.advance(by: 1)
        let newest = try api.logIn("jo@example.com", remoteAddress: "198.51.100.200")
        #expect(api.send(.get, "/v1/account", token: first).status == 401)
        #expect(api.send(.get, "/v1/sessions", token: newest).json?["sessions"]?.arrayValue?.count == 50)
        api.clock.advance(by: 12 * 3600 + 1)
        #expect(api.send(.get, "/v1/account", token: newest).status == 401)
    }

    @Test func signUpIsLimitedPerAddressAndOverall() throws {
        let api = try APIHarness(signupLimits: .init(window: 3600, perAddress: 10, global: 15))
        for index in 0..<10 { _ = try api.signUp("u\(index)@example.com", remoteAddress: "203.0.113.10") }
        let eleventh = api.send(
            .post,
            "/v1/accounts",
            json: ["email": "u10@example.com", "password": .string(Self.password)],
            remoteAddress: "203.0.113.10"
        )
        #expect(eleventh.status == 429)
        #expect(Int(eleventh.fields[.retryAfter] ?? "") == 3600)
        #expect(try api.count("accounts") == 10)
        for index in 0..<5 { _ = try api.signUp("v\(index)@example.com", remoteAddress: "2001:db8::\(index)") }
        let global = api.send(
            .post,
            "/v1/accounts",
            json: ["email": "w@example.com", "password": .string(Self.password)],
            remoteAddress: "198.51.100.50"
        )
        #expect(global.status == 429)
        #expect(try api.count("accounts") == 15)
        api.clock.advance(by: 3601)
        _ = try api.signUp("u10@example.com", remoteAddress: "203.0.113.10")
    }

    @Test func inviteOnlySignUpNeedsAFreshCodeAndClosedSignUpNone() throws {
        let api = try APIHarness(signupMode: .invite)
        let code = "inv_" + (try SecureRandom.token(byteCount: 16))
        try DataStore(pool: api.pool).invitations.create(
            codeSHA256: Digest.sha256(code),
            at: api.clock.now,
            expiresAt: api.clock.now.addingTimeInterval(86_400)
        )
        let body: (String, String?) -> JSONValue = { email, invitation in
            var members: [String: JSONValue] = ["email": .string(email), "password": .string(Self.password)]
            if let invitation { members["invitation"] = .string(invitation) }
            return .object(members.map { JSONMember(key: $0.key, value: $0.value) })
        }
        let missing = api.send(.post, "/v1/accounts", json: body("k@example.com", nil))
        #expect(missing.status == 422 && missing.names(field: "invitation", rule: "required"))
        let unknown = api.send(.post, "/v1/accounts", json: body("k@example.com", "inv_unknown"))
        #expect(unknown.status == 422 && unknown.names(field: "invitation", rule: "invitation"))
        #expect(api.send(.post, "/v1/accounts", json: body("k@example.com", code)).status == 201)
        #expect(api.send(.post, "/v1/accounts", json: body("l@example.com", code)).status == 422)
        #expect(try api.count("accounts") == 1)

        // Open sign-up reads the same body: a well-formed code is ignored, a malformed one still refused.
        let open = try APIHarness(signupMode: .open)
        #expect(open.send(.post, "/v1/accounts", json: body("n@example.com", "inv_unused")).status == 201)
        let malformed = open.send(.post, "/v1/accounts", json: body("o@example.com", "unused"))
        #expect(malformed.status == 422 && malformed.names(field: "invitation", rule: "format"))
        #expect(try open.count("accounts") == 1)

        let closed = try APIHarness(signupMode: .closed)
        let refused = closed.send(.post, "/v1/accounts", json: body("m@example.com", nil))
        #expect(refused.status == 403)
        #expect(refused.json?["type"]?.stringValue?.hasSuffix("/signup-closed") == true)
        #expect(try closed.count("accounts") == 0)
    }

    @Test func closingAnAccountOffboardsItsDomainsAndEndsEveryCredential() throws {
        let api = try APIHarness()
        let session = try api.signUp("kim@example.com")
        #expect(api.send(.post, "/v1/domains", json: ["name": "closing.example.test"], token: session).status == 201)
        let token = try #require(
            api.send(.post, "/v1/tokens", json: ["name": "ci"], token: session).json?["value"]?.stringValue
        )
        let password: JSONValue = ["password": .string(Self.password)]
        #expect(api.send(.delete, "/v1/account", json: password, token: token).status == 403)
        let wrong = api.send(.delete, "/v1/account", json: ["password": "nope"], token: session)
        #expect(wrong.status == 422 && wrong.names(field: "password", rule: "password"))
        let closed = api.send(.delete, "/v1/account", json: password, token: session)
        #expect(closed.status == 200)
        #expect(closed.json?["offboarding"]?.arrayValue?.isEmpty == true)
        #expect(api.send(.get, "/v1/account", token: session).status == 401)
        #expect(api.send(.get, "/v1/account", token: token).status == 401)
        #expect(logIn(api, "kim@example.com", Self.password, from: "192.0.2.1").status == 401)
        _ = try api.signUp("kim@example.com")
    }

    @Test func jsonAnswersAreNeverSniffed() throws {
        let api = try APIHarness()
        let problem = api.send(.get, "/v1/account")
        #expect(problem.status == 401 && problem.fields[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        let session = try api.signUp("lu@example.com")
        let account = api.send(.get, "/v1/account", token: session)
        #expect(account.fields[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
    }
}

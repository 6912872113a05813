import Crypto
import Foundation
import HTTPCore
import MTASTS
import Store
import TestSupport
import Testing
import WebClient

/// `mtasts admin` tasks run as the built binary against a throwaway database, with the real API where the
/// tenant's side matters.
@Suite struct AdminTasksTests {
    @Test func accountsAndDomainsAreListedAndSearchedAsJSON() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let directory = try TemporaryDirectory(prefix: "admin-list")
        let fixtures = try ServedDomainFixtures(url: url, directory: directory)
        let alpha = try fixtures.addDomain("alpha.test")
        try fixtures.addDomain("beta.test", certificate: false)
        let store = fixtures.store
        let owner = try #require(try store.domains.find(id: alpha)).accountID
        try store.domains.create(
            accountID: owner,
            name: try DomainName(parsing: "pending.alpha.test"),
            verificationToken: "token_0123456789abcdef",
            defaultLimit: 5,
            at: Date()
        )
        let environment = Self.environment(url: url, directory: directory)

        let (status, output) = try MTASTSBinary.run(["admin", "accounts", "--json"], environment: environment)
        #expect(status == 0, "\(output)")
        let accounts = try #require(try Self.json(output)["accounts"] as? [[String: Any]])
        #expect(Set(accounts.compactMap { $0["email"] as? String }) == ["owner@alpha.test", "owner@beta.test"])
        let alphaAccount = try #require(accounts.first { $0["email"] as? String == "owner@alpha.test" })
        #expect(alphaAccount["id"] as? String == owner.uuidString.lowercased())
        #expect(alphaAccount["domain_count"] as? Int == 2)
        #expect(alphaAccount["domain_limit"] as? Int == 7)
        #expect(alphaAccount["domain_limit_is_default"] as? Bool == true)
        #expect(alphaAccount["suspended"] as? Bool == false)
        #expect(alphaAccount["last_sign_in_at"] is NSNull)

        let (_, searched) = try MTASTSBinary.run(
            ["admin", "accounts", "--search", "BETA", "--json"],
            environment: environment
        )
        #expect(
            (try Self.json(searched)["accounts"] as? [[String: Any]])?.map { $0["email"] as? String } == [
                "owner@beta.test"
            ]
        )

        let (domainsStatus, domainsOutput) = try MTASTSBinary.run(
            ["admin", "domains", "--account", "OWNER@alpha.test", "--json"],
            environment: environment
        )
        #expect(domainsStatus == 0, "\(domainsOutput)")
        let domains = try #require(try Self.json(domainsOutput)["domains"] as? [[String: Any]])
        #expect(domains.map { $0["name"] as? String } == ["alpha.test", "pending.alpha.test"])
        #expect(domains.map { $0["state"] as? String } == ["verified", "pending"])
        let policy = try #require(domains[0]["policy"] as? [String: Any])
        #expect(policy["mode"] as? String == "enforce")
        #expect((policy["id"] as? String)?.isEmpty == false)
        #expect(domains[0]["certificate_expires_at"] is String)
        #expect(domains[1]["policy"] is NSNull && domains[1]["certificate_expires_at"] is NSNull)
        #expect((domains[0]["account"] as? [String: Any])?["email"] as? String == "owner@alpha.test")

        let (_, betaOnly) = try MTASTSBinary.run(["admin", "domains", "--search", "bet"], environment: environment)
        #expect(betaOnly.contains("beta.test  verified  owner@beta.test") && !betaOnly.contains("alpha.test"))

        let (unknown, unknownOutput) = try MTASTSBinary.run(
            ["admin", "domains", "--account", "nobody@example.test"],
            environment: environment
        )
        #expect(unknown == 1 && unknownOutput.contains("No open account has the email nobody@example.test"))
        let (usage, usageOutput) = try MTASTSBinary.run(
            ["admin", "accounts", "--limit", "0"],
            environment: environment
        )
        #expect(usage == 64 && usageOutput.contains("--limit"))
        let (missing, missingOutput) = try MTASTSBinary.run(["admin", "suspend"], environment: environment)
        #expect(missing == 64 && missingOutput.contains("ACCOUNT"))
    }

    @Test func aSuspendedAccountCannotSignInButItsDomainsKeepServingUntilReactivated() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let directory = try TemporaryDirectory(prefix: "admin-suspend")
        let fixtures = try ServedDomainFixtures(url: url, directory: directory)
        let api = try APIProcess(url: url, directory: directory)
        defer { api.stop() }
        let (accountID, token) = try api.signUp("tenant@alpha.test")
        try Self.addVerifiedDomain("alpha.test", accountID: accountID, store: fixtures.store)
        let environment = Self.environment(url: url, directory: directory)

        let (status, output) = try MTASTSBinary.run(
            ["admin", "suspend", "Tenant@Alpha.test", "--reason", "abuse report 42", "--json"],
            environment: environment
        )
        #expect(status == 0, "\(output)")
        let change = try Self.json(output)
        #expect(change["changed"] as? Bool == true)
        let after = try #require(change["after"] as? [String: Any])
        #expect(after["suspended"] as? Bool == true && after["suspension_reason"] as? String == "abuse report 42")
        #expect(after["last_sign_in_at"] is String)

        let login = try api.logIn("tenant@alpha.test")
        #expect(login.status == .forbidden)
        #expect(login.headers[.contentType] == "application/problem+json")
        #expect((try Self.json(login.bodyText)["type"] as? String)?.hasSuffix("/problems/account-suspended") == true)
        let wrongPassword = try api.logIn("tenant@alpha.test", password: "not the password at all")
        #expect(wrongPassword.status == .unauthorized)
        let refused = try api.get("/v1/domains", token: token)
        #expect(refused.status == .forbidden)
        #expect((try Self.json(refused.bodyText)["type"] as? String)?.hasSuffix("/problems/account-suspended") == true)
        let served = try fixtures.store.servedHosts.load(hosts: ["mta-sts.alpha.test"], parts: .policy)
        #expect(served.policies.map(\.host) == ["mta-sts.alpha.test"])

        let (again, againOutput) = try MTASTSBinary.run(["admin", "suspend", accountID], environment: environment)
        #expect(again == 0 && againOutput.contains("already suspended"))

        let (reactivated, reactivatedOutput) = try MTASTSBinary.run(
            ["admin", "reactivate", "tenant@alpha.test"],
            environment: environment
        )
        #expect(reactivated == 0)
        #expect(reactivatedOutput.contains("reactivated tenant@alpha.test"))
        #expect(try api.logIn("tenant@alpha.test").status == .created)
        #expect(try api.get("/v1/domains", token: token).status == .ok)

        // The tenant's activity shows what the operator did, without the operator's note.
        let entries = try fixtures.store.auditLog.list(accountID: try #require(UUID(uuidString: accountID)), limit: 50)
        let operatorEntries = entries.filter { $0.actor == .operator }
        #expect(operatorEntries.map(\.action) == ["account.reactivate", "account.suspend"])
        #expect(operatorEntries.allSatisfy { $0.target == "tenant@alpha.test" && $0.details.isEmpty })
    }

    @Test func aLimitAndATransferMoveADomainToAnotherTenant() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let directory = try TemporaryDirectory(prefix: "admin-transfer")
        let fixtures = try ServedDomainFixtures(url: url, directory: directory)
        let api = try APIProcess(url: url, directory: directory)
        defer { api.stop() }
        let (fromID, fromToken) = try api.signUp("from@alpha.test")
        let (toID, toToken) = try api.signUp("to@example.test")
        let domain = try Self.addVerifiedDomain("alpha.test", accountID: fromID, store: fixtures.store)
        let before = try #require(try fixtures.store.domains.find(id: domain))
        let environment = Self.environment(url: url, directory: directory)

        let (limitStatus, limitOutput) = try MTASTSBinary.run(
            ["admin", "limit", "to@example.test", "0"],
            environment: environment
        )
        #expect(limitStatus == 0)
        #expect(limitOutput.contains("domain limit of to@example.test: default (7) → 0, holds 0"))
        let (refused, refusedOutput) = try MTASTSBinary.run(
            ["admin", "transfer", "alpha.test", toID],
            environment: environment
        )
        #expect(refused == 1)
        #expect(refusedOutput.contains("to@example.test holds 0 of its 0 domains"))
        #expect(try fixtures.store.domains.find(id: domain)?.accountID.uuidString.lowercased() == fromID)
        let (badLimit, _) = try MTASTSBinary.run(["admin", "limit", toID, "lots"], environment: environment)
        #expect(badLimit == 64)

        let (raised, raisedOutput) = try MTASTSBinary.run(
            ["admin", "limit", toID, "1", "--json"],
            environment: environment
        )
        #expect(raised == 0)
        #expect((try Self.json(raisedOutput)["after"] as? [String: Any])?["domain_limit"] as? Int == 1)
        let (moved, movedOutput) = try MTASTSBinary.run(
            ["admin", "transfer", "alpha.test", "TO@example.test", "--json"],
            environment: environment
        )
        #expect(moved == 0, "\(movedOutput)")
        let transfer = try Self.json(movedOutput)
        #expect((transfer["from"] as? [String: Any])?["email"] as? String == "from@alpha.test")
        #expect((transfer["to"] as? [String: Any])?["domain_count"] as? Int == 1)
        #expect(transfer["exceeded_limit"] as? Bool == false)

        let after = try #require(try fixtures.store.domains.find(id: domain))
        #expect(after.accountID.uuidString.lowercased() == toID)
        #expect(after.reportToken == before.reportToken && after.dnsLabel == before.dnsLabel)
        let newOwner = try api.get("/v1/domains/alpha.test", token: toToken)
        #expect(newOwner.status == .ok, "\(newOwner.bodyText)")
        #expect(try Self.json(newOwner.bodyText)["name"] as? String == "alpha.test")
        #expect(try api.get("/v1/domains/alpha.test", token: fromToken).status == .notFound)
        let served = try fixtures.store.servedHosts.load(hosts: ["mta-sts.alpha.test"], parts: .policy)
        #expect(served.policies.count == 1)
        for (account, direction) in [(fromID, "out"), (toID, "in")] {
            let moves = try fixtures.store.auditLog.list(
                accountID: try #require(UUID(uuidString: account)),
                limit: 10,
                action: "domain.transfer"
            )
            #expect(moves.map(\.details) == [["direction": direction]], "\(account)")
            #expect(moves.first?.actor == .operator && moves.first?.target == "alpha.test")
        }

        let (again, againOutput) = try MTASTSBinary.run(
            ["admin", "transfer", "alpha.test", toID],
            environment: environment
        )
        #expect(again == 1 && againOutput.contains("already belongs to to@example.test"))
        let (back, backOutput) = try MTASTSBinary.run(
            ["admin", "transfer", "alpha.test", "from@alpha.test", "--force"],
            environment: environment
        )
        #expect(back == 0, "\(backOutput)")
        #expect(backOutput.contains("transferred alpha.test"))
    }

    @Test func theDoctorIsHappyWithAHealthyPlatform() throws {
        let (url, directory, keyFile, fixtures) = try Self.platform(prefix: "doctor-ok")
        try fixtures.addDomain("alpha.test")
        let head = try fixtures.store.changes.changes(after: 0).last?.seq ?? 0
        try fixtures.store.edgeHeartbeats.record(instance: "edge-1", appliedSequence: head)
        let environment = Self.environment(url: url, directory: directory, keyFile: keyFile)

        let (status, output) = try MTASTSBinary.run(["admin", "doctor", "--json"], environment: environment)
        #expect(status == 0, "\(output)")
        let report = try Self.json(output)
        #expect(report["ok"] as? Bool == true)
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(checks.map { $0["name"] as? String } == ["configuration", "database", "keys", "certificates", "edges"])
        for check in checks { #expect(check["status"] as? String == "ok", "\(check)") }
        let database = try #require(checks.first { $0["name"] as? String == "database" })
        #expect(database["replica"] as? Bool == false && (database["server_version"] as? String)?.isEmpty == false)
        #expect((database["migrations_pending"] as? [Any])?.isEmpty == true)

        let (text, textOutput) = try MTASTSBinary.run(["admin", "doctor"], environment: environment)
        #expect(text == 0 && textOutput.contains("ok: no problems found"))
        let (broken, brokenOutput) = try MTASTSBinary.run(
            ["admin", "doctor", "--json"],
            environment: environment.merging(["MTASTS_DOMAIN_LIMIT": "lots"]) { _, new in new }
        )
        #expect(broken == 1)
        let configuration = try #require((try Self.json(brokenOutput)["checks"] as? [[String: Any]])?.first)
        #expect(configuration["status"] as? String == "error")
        #expect((configuration["message"] as? String)?.contains("MTASTS_DOMAIN_LIMIT") == true)
    }

    @Test func theDoctorFlagsExpiringCertificatesAndLaggingOrSilentEdges() throws {
        let (url, directory, keyFile, fixtures) = try Self.platform(prefix: "doctor-problems")
        let store = fixtures.store
        // Verified ten minutes ago: its change-log rows are that old.
        let account = try store.accounts.create(
            email: "owner@late.test",
            passwordHash: String(repeating: "x", count: 40),
            at: Date()
        )
        let domain = try Self.addVerifiedDomain(
            "late.test",
            accountID: account.id.uuidString,
            store: store,
            at: Date().addingTimeInterval(-600)
        )
        let now = Int64(Date().timeIntervalSince1970)
        let leaf = try CertificateBuilder.makeLeaf(
            dnsNames: ["mta-sts.late.test"],
            issuer: fixtures.authority,
            now: now,
            lifetime: 5 * 86_400
        )
        try store.certificates.store(
            domainID: domain,
            host: "mta-sts.late.test",
            chainPEM: leaf.certificate.pemRepresentation,
            leaf: leaf.certificate,
            privateKeyPEM: try leaf.key.pemRepresentation,
            keyring: fixtures.keyring,
            renewAfter: Date()
        )
        let head = try store.changes.changes(after: 0).last?.seq ?? 0
        try store.edgeHeartbeats.record(instance: "edge-current", appliedSequence: head)
        try store.edgeHeartbeats.record(instance: "edge-lagging", appliedSequence: 0)
        try store.edgeHeartbeats.record(
            instance: "edge-silent",
            appliedSequence: head,
            at: Date().addingTimeInterval(-600)
        )
        let environment = Self.environment(url: url, directory: directory, keyFile: keyFile)

        let (status, output) = try MTASTSBinary.run(["admin", "doctor", "--json"], environment: environment)
        #expect(status == 1, "\(output)")
        let report = try Self.json(output)
        #expect(report["ok"] as? Bool == false)
        let checks = try #require(report["checks"] as? [[String: Any]])
        let certificates = try #require(checks.first { $0["name"] as? String == "certificates" })
        #expect(certificates["status"] as? String == "warning")
        let expiring = try #require(certificates["certificates"] as? [[String: Any]])
        #expect(expiring.map { $0["host"] as? String } == ["mta-sts.late.test"])
        #expect(expiring.first?["kind"] as? String == "tenant" && expiring.first?["expired"] as? Bool == false)
        let edges = try #require(checks.first { $0["name"] as? String == "edges" })
        #expect(edges["status"] as? String == "error")
        let states = Dictionary(
            uniqueKeysWithValues: try #require(edges["edges"] as? [[String: Any]]).map {
                ($0["instance"] as? String ?? "", $0["state"] as? String ?? "")
            }
        )
        #expect(states == ["edge-current": "ok", "edge-lagging": "lagging", "edge-silent": "silent"])
        #expect(checks.first { $0["name"] as? String == "keys" }?["status"] as? String == "ok")

        let (_, text) = try MTASTSBinary.run(["admin", "doctor"], environment: environment)
        #expect(text.contains("warning  certificates: 1 certificate(s) expire within 14 days"))
        #expect(text.contains("mta-sts.late.test (tenant) expires"))
        #expect(text.contains("error    edges: 1 edge(s) not applying changes"))
        #expect(text.contains("edge-lagging: applied 0 of \(head)"))
        #expect(text.contains("edge-silent: silent since"))
        #expect(text.contains("1 error(s), 1 warning(s)"))
    }

    // MARK: - Helpers

    private static func environment(
        url: String,
        directory: TemporaryDirectory,
        keyFile: String? = nil
    ) -> [String: String] {
        var environment = [
            "MTASTS_DATABASE_URL": url, "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path,
            "MTASTS_DATA_DIR": directory.path, "MTASTS_DOMAIN_LIMIT": "7",
        ]
        environment["MTASTS_SECRET_KEY_FILE"] = keyFile
        return environment
    }

    /// A migrated database, fixtures sealing with a master key in a file the doctor is given.
    private static func platform(
        prefix: String
    ) throws -> (String, TemporaryDirectory, String, ServedDomainFixtures) {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let directory = try TemporaryDirectory(prefix: prefix)
        let keyFile = directory.path + "/master.key"
        let key = try MasterKey.generate(toFile: keyFile)
        let fixtures = try ServedDomainFixtures(url: url, directory: directory, keyring: try Keyring(current: key))
        return (url, directory, keyFile, fixtures)
    }

    /// Claims and verifies `name` for the account, as the API and the worker would.
    @discardableResult
    private static func addVerifiedDomain(
        _ name: String,
        accountID: String,
        store: DataStore,
        at date: Date = Date()
    ) throws -> UUID {
        let claimed = try store.domains.create(
            accountID: try #require(UUID(uuidString: accountID)),
            name: try DomainName(parsing: name),
            verificationToken: "token_0123456789abcdef",
            defaultLimit: 5,
            at: date
        )
        let policy = try Policy(parsing: ServedDomainFixtures.policy(mx: "mx.\(name)"))
        _ = try store.domains.markVerified(domainID: claimed.id, initialPolicy: policy, at: date)
        return claimed.id
    }

    private static func json(_ text: String) throws -> [String: Any] {
        let start = try #require(text.firstIndex(of: "{"))
        let object = try JSONSerialization.jsonObject(with: Data(text[start...].utf8))
        return try #require(object as? [String: Any])
    }
}

/// `mtasts api` alone on a free loopback port, and the requests a tenant makes.
private final class APIProcess {
    let baseURL: String
    private let process: ManagedProcess
    private let client: HTTPClient

    init(url: String, directory: TemporaryDirectory) throws {
        let port = try FreePort.allocate(udp: false, tcp: true)
        baseURL = "http://127.0.0.1:\(port)"
        process = try MTASTSBinary.launch(
            ["api", "--no-migrate"],
            environment: [
                "MTASTS_DATABASE_URL": url, "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path,
                "MTASTS_API_LISTEN": "127.0.0.1:\(port)", "MTASTS_DATA_DIR": directory.path("api"),
                "MTASTS_EVENT_LOOPS": "1",
                // Its own admin listener: the default port would collide with another test's API.
                "MTASTS_API_ADMIN_LISTEN": "127.0.0.1:\(try FreePort.allocate(udp: false, tcp: true))",
            ],
            directory: directory
        )
        client = try HTTPClient()
        try Poll.until(deadline: 60, interval: .milliseconds(100), "mtasts api answering") {
            [process, client, baseURL] in
            guard process.isRunning else { throw TestSupportError("mtasts api exited: \(process.logTail())") }
            return (try? client.send(try ClientRequest(url: baseURL + "/v1/account")))?.status == .unauthorized
        }
    }

    /// Signs up; returns the account id and the session token.
    func signUp(_ email: String) throws -> (String, String) {
        let response = try post("/v1/accounts", ["email": email, "password": AdminTasksTestsPassword.value])
        guard response.status == .created,
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let account = object["account"] as? [String: Any], let id = account["id"] as? String,
            let token = (object["token"] as? [String: Any])?["value"] as? String
        else { throw TestSupportError("sign-up failed: \(response.status) \(response.bodyText)") }
        return (id, token)
    }

    func logIn(_ email: String, password: String = AdminTasksTestsPassword.value) throws -> ClientResponse {
        try post("/v1/sessions", ["email": email, "password": password])
    }

    func get(_ path: String, token: String) throws -> ClientResponse {
        try client.send(try ClientRequest(url: baseURL + path, headers: [.authorization: "Bearer \(token)"]))
    }

    private func post(_ path: String, _ body: [String: String]) throws -> ClientResponse {
        try client.send(
            try ClientRequest(
                method: .post,
                url: baseURL + path,
                headers: [.contentType: "application/json"],
                body: Array(try JSONSerialization.data(withJSONObject: body))
            )
        )
    }

    func stop() { _ = process.terminate() }
}

private enum AdminTasksTestsPassword {
    static let value = "correct horse battery staple 42"
}

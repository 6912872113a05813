import API
import Checks
import Crypto
import DNS
import Database
import Foundation
import HTTPCore
import JSON
import Logging
import Store
import Synchronization
import TLSReporting
import TestSupport
import Testing

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date()) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// One Knot + Unbound pair for the whole APITests process; each test uses its own names below `example.test`.
enum SharedDNS {
    static let edgeHostname = "edge.platform.test"

    static let records: [DNSTestRecord] = [
        DNSTestRecord(owner: "edge.platform.test", type: .a, value: "127.0.0.1"),
        DNSTestRecord(owner: "journey.example.test", type: .mx, value: "10 mx1.journey.example.test."),
        DNSTestRecord(owner: "journey.example.test", type: .mx, value: "20 mx2.journey.example.test."),
        DNSTestRecord(owner: "cross.example.test", type: .mx, value: "10 mx.cross.example.test."),
        DNSTestRecord(owner: "table.example.test", type: .mx, value: "10 mx.table.example.test."),
    ]

    static let shared: Result<DNSTestEnvironment, TestSupportError> = {
        do {
            let environment = try DNSTestEnvironment.start(zones: ["example.test", "platform.test"], records: records)
            atexit {
                if case .success(let environment) = SharedDNS.shared { environment.stop() }
            }
            return .success(environment)
        } catch {
            return .failure(TestSupportError("\(error)"))
        }
    }()

    static func environment() throws -> DNSTestEnvironment { try shared.get() }
}

/// A response as the tests look at it.
struct TestResponse {
    var status: Int
    var fields: HTTPFields
    var body: [UInt8]

    var json: JSONValue? { try? JSONParser.parse(body) }
    var contentType: String? { fields[.contentType] }
    var isProblem: Bool { contentType == "application/problem+json" }

    /// Whether the problem's `errors` has an entry for `field` (and `rule`, when given).
    func names(field: String, rule: String? = nil) -> Bool {
        (json?["errors"]?.arrayValue ?? []).contains { entry in
            entry["field"]?.stringValue == field && (rule == nil || entry["rule"]?.stringValue == rule)
        }
    }
}

/// The API responder on a fresh database, the shared DNS servers and a test clock.
struct APIHarness {
    let url: String
    let pool: PostgresPool
    let clock: TestClock
    let dns: DNSTestEnvironment
    let responder: APIResponder
    /// Seals webhook secrets.
    let keyring: Keyring

    init(
        domainLimit: Int = 5,
        loginLimits: APIEnvironment.LoginLimits = .init(),
        signupMode: APIEnvironment.SignupMode = .open,
        signupLimits: APIEnvironment.SignupLimits = .init(),
        dnsZone: String? = nil,
        liveLookups: LiveLookupService? = nil,
        checkHTTPSPort: UInt16 = 9,
        anonymousChecksPerHour: Int = 20,
        webhookRules: WebhookURLRules = WebhookURLRules(),
        alertMailAvailable: Bool = false,
        reporting: ReportingAddresses = ReportingAddresses(),
        enforceReadyDays: Int = 0
    ) throws {
        url = try PostgresTestCluster.shared.makeDatabase()
        pool = PostgresPool(configuration: .init(connectionString: url, maxConnections: 4))
        dns = try SharedDNS.environment()
        let clock = TestClock()
        self.clock = clock
        let keyring = try Keyring(current: try MasterKey.generate())
        self.keyring = keyring
        responder = APIResponder(
            environment: APIEnvironment(
                store: DataStore(pool: pool),
                domainLimit: domainLimit,
                edgeHostname: SharedDNS.edgeHostname,
                dnsClient: dns.resolverClient(timeout: .seconds(2), attempts: 2),
                alertMailAvailable: alertMailAvailable,
                checks: CheckService(
                    engine: try CheckEngine(
                        dns: dns.resolverClient(timeout: .seconds(2), attempts: 2),
                        settings: CheckSettings(
                            edgeHostname: SharedDNS.edgeHostname,
                            httpsPort: checkHTTPSPort,
                            smtpPort: 9
                        ),
                        logger: .init(label: "check-test", level: .critical)
                    ),
                    anonymousPerHour: anonymousChecksPerHour
                ),
                liveLookups: liveLookups,
                dnsZone: dnsZone,
                clock: { clock.now },
                passwordParameters: .fastForTesting,
                publicBaseURL: "https://api.platform.test",
                loginLimits: loginLimits,
                signupMode: signupMode,
                signupLimits: signupLimits,
                keyring: keyring,
                webhookRules: webhookRules,
                reporting: reporting,
                enforceReadyDays: enforceReadyDays,
                logger: .init(label: "api-test", level: .critical)
            )
        )
    }

    /// Sends one request through the responder (no socket).
    func send(
        _ method: HTTPMethod,
        _ target: String,
        json: JSONValue? = nil,
        body: [UInt8]? = nil,
        token: String? = nil,
        contentType: String? = "application/json",
        headers: HTTPFields = HTTPFields(),
        remoteAddress: String = "192.0.2.1"
    ) -> TestResponse {
        var fields = headers
        fields.append(.host, "api.platform.test")
        if let token { fields.append(.authorization, "Bearer \(token)") }
        let bytes = body ?? json?.serialized() ?? []
        if !bytes.isEmpty, let contentType { fields.append(.contentType, contentType) }
        let head = HTTPRequestHead(
            method: method,
            target: target,
            fields: fields,
            framing: bytes.isEmpty ? .none : .contentLength(bytes.count)
        )
        let response = responder.respond(to: HTTPRequest(head: head, body: bytes, remoteAddress: remoteAddress))
        return TestResponse(status: response.status.code, fields: response.fields, body: response.body)
    }

    /// Signs up and returns the session token.
    func signUp(
        _ email: String,
        password: String = "correct horse battery",
        remoteAddress: String = "192.0.2.1"
    ) throws -> String {
        let response = send(
            .post,
            "/v1/accounts",
            json: ["email": .string(email), "password": .string(password)],
            remoteAddress: remoteAddress
        )
        try #require(response.status == 201, "sign-up failed: \(String(decoding: response.body, as: UTF8.self))")
        return try #require(response.json?["token"]?["value"]?.stringValue)
    }

    /// Logs in and returns the session token.
    func logIn(
        _ email: String,
        password: String = "correct horse battery",
        remoteAddress: String = "192.0.2.1"
    ) throws -> String {
        let response = send(
            .post,
            "/v1/sessions",
            json: ["email": .string(email), "password": .string(password)],
            remoteAddress: remoteAddress
        )
        try #require(response.status == 201, "login failed: \(String(decoding: response.body, as: UTF8.self))")
        return try #require(response.json?["value"]?.stringValue)
    }

    /// Row count of a table.
    func count(_ table: String) throws -> Int {
        try pool.withConnection { connection in
            try #require(try connection.query("SELECT count(*) FROM \(unsafeSQL: table)").first).decode(Int.self, at: 0)
        }
    }

    /// The text of a response body, for failure messages.
    static func text(_ response: TestResponse) -> String { String(decoding: response.body, as: UTF8.self) }
}

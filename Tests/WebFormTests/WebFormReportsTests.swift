import DNS
import Foundation
import HTTPCore
import Store
import TestSupport
import Testing
import WebClient

/// The web form's TLS reports page and the enforce verdict, driven in headless Chromium against the real
/// `mtasts api` (the API and the web form), PostgreSQL, Knot and Unbound.
///
/// The tenant signs up and adds the domain through the API; the domain is then verified 35 days back and its TLS
/// reports stored through the store (``ReportSeed``), so the page has a month of reports to show. The browser
/// script checks the chart, the failures with their meaning, the reporters (one silent), the list with its flags
/// and pages, one report's failure details and its JSON download, the platform's reporting addresses on the domain
/// page, and the switch from testing to enforce: refused with the reports' verdict (`MTASTS_ENFORCE_READY_DAYS`),
/// then done with "Enforce anyway". DNS answers the live MX lookups that saving a policy makes.
@Suite(.serialized) struct WebFormReportsTests {
    static let zone = "webreports.test"
    static let reportsHost = "reports.platform.test"
    static let password = "correct horse battery staple"

    static let records: [DNSTestRecord] = [
        DNSTestRecord(owner: zone, type: .mx, value: "10 mx1.\(zone)."),
        DNSTestRecord(owner: "mx1.\(zone)", type: .a, value: "127.0.0.1"),
    ]

    @Test func reportsPageAndEnforceVerdictInHeadlessChromium() throws {
        let directory = try TemporaryDirectory(prefix: "webform-reports")
        let tools = try BrowserTools.require(scratch: directory)
        let dns = try DNSTestEnvironment.start(zones: [Self.zone], records: Self.records)
        defer { dns.stop() }
        let databaseURL = try PostgresTestCluster.shared.makeDatabase()
        let server = try ServerProcess.start(
            databaseURL: databaseURL,
            resolver: dns.resolverAddress,
            edgeHostname: "edge.platform.test",
            environment: [
                "MTASTS_ENFORCE_READY_DAYS": "14",
                "MTASTS_REPORTS_HOSTNAME": Self.reportsHost,
                "MTASTS_REPORTS_MAIL_DOMAIN": Self.reportsHost,
            ],
            directory: directory,
            command: "api"
        )
        defer { server.stop() }

        let email = "admin@\(Self.zone)"
        try signUpAndAddDomain(server: server, email: email)
        let store = DataStore(connectionString: databaseURL, maxConnections: 2)
        defer { store.close() }
        let account = try #require(try store.accounts.find(email: email))
        let domain = try #require(try store.domains.find(accountID: account.id, name: Self.zone))
        let expected = try ReportSeed(domain: Self.zone, domainID: domain.id, store: store, now: Date()).seed()
        let token = try #require(try store.reports.token(domainID: domain.id))
        let expectations = try directory.write(
            String(decoding: try JSONEncoder().encode(expected), as: UTF8.self),
            to: "expectations.json"
        )

        let screenshots = WebFormJourneyTests.screenshotDirectory(default: directory)
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)
        let script = RepositoryPaths.root.appendingPathComponent("Tests/WebFormTests/Scripts/reports_journey.py").path
        var arguments = [
            script, "--base-url", server.baseURL, "--email", email, "--password", Self.password,
            "--expectations", expectations, "--platform-rua",
            "https://\(Self.reportsHost)/v1/tlsrpt/\(token),mailto:\(token)@\(Self.reportsHost)",
            "--download-dir", directory.path("downloads"), "--output-dir", screenshots,
            "--chromium", tools.chromium, "--chromedriver", tools.chromedriver,
        ]
        if let guide = WebFormJourneyTests.guideDirectory { arguments += ["--guide-dir", guide] }
        let (termination, output) = try ManagedProcess.run(
            name: "reports-journey",
            executable: tools.python,
            arguments: arguments,
            logDirectory: directory.path,
            timeout: 240
        )
        try? output.write(toFile: screenshots + "/reports-journey.log", atomically: true, encoding: .utf8)
        #expect(termination == .exited(0), "the browser journey failed:\n\(output)\nserver log:\n\(server.logTail())")
        #expect(output.contains("REPORTS JOURNEY COMPLETE"), "\(output)")
        if let guide = WebFormJourneyTests.guideDirectory {
            WebFormJourneyTests.expectGuidePictures(in: guide, from: output, count: 3)
        }
    }

    /// `POST /v1/accounts` and `POST /v1/domains`, as the tenant's first steps would.
    private func signUpAndAddDomain(server: ServerProcess, email: String) throws {
        let client = try HTTPClient()
        let signUp = try client.send(
            try ClientRequest(
                method: .post,
                url: server.baseURL + "/v1/accounts",
                headers: [.contentType: "application/json"],
                body: Array(#"{"email": "\#(email)", "password": "\#(Self.password)"}"#.utf8)
            )
        )
        #expect(signUp.status == .created, "sign-up: \(signUp.status) \(signUp.bodyText)")
        let account = try #require(
            try JSONSerialization.jsonObject(with: Data(signUp.body)) as? [String: Any],
            "sign-up answered \(signUp.bodyText)"
        )
        let token = try #require(
            (account["token"] as? [String: Any])?["value"] as? String ?? account["value"] as? String,
            "no token in \(signUp.bodyText)"
        )
        let added = try client.send(
            try ClientRequest(
                method: .post,
                url: server.baseURL + "/v1/domains",
                headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                body: Array(#"{"name": "\#(Self.zone)"}"#.utf8)
            )
        )
        #expect(added.status == .created, "adding the domain: \(added.status) \(added.bodyText)")
    }
}

import DNS
import Foundation
import TestSupport
import Testing

/// The web form's check pages driven in headless Chromium against the real `mtasts serve`, PostgreSQL, Knot and
/// Unbound: the public "Check a domain" page (signed out, a domain with problems, a refused name, the hourly
/// limit), the worker's check as a badge in the domain list and on the domain page, the Checks panel and "Check
/// now", the policy editor's provider presets, and an MX change started, moved on by the worker to the tenant's
/// turn, shown step by step and cancelled (behind the page's back and with its own button).
///
/// The worker scans every second, so it checks a domain within seconds of its verification. The checks it and
/// the API run fail fast and always the same way: the policy host's HTTPS port and the MX hosts' SMTP port are
/// free loopback ports nothing listens on.
@Suite(.serialized) struct WebFormChecksTests {
    static let zone = "webcheck.test"
    /// A domain nobody hosts here, with problems the public check finds: no `_mta-sts` record, a policy host that
    /// is an alias of another platform (where nothing answers), no TLS-RPT record but one at the label of the drafts.
    static let problemDomain = "legacy.webcheck.test"
    /// Anonymous checks an address may run per hour: the page's first check and the script's own comparison fit,
    /// the page's second check is refused.
    static let anonymousChecksPerHour = 2

    static let records: [DNSTestRecord] = [
        DNSTestRecord(owner: "webcheck.test", type: .mx, value: "10 mx1.webcheck.test."),
        DNSTestRecord(owner: "mx1.webcheck.test", type: .a, value: "127.0.0.1"),
        DNSTestRecord(owner: "mta-sts.webcheck.test", type: .cname, value: "edge.platform.test."),
        DNSTestRecord(owner: "legacy.webcheck.test", type: .mx, value: "10 mx1.webcheck.test."),
        .txt("_smtp-tlsrpt.legacy.webcheck.test", "v=TLSRPTv1; rua=mailto:reports@legacy.webcheck.test"),
        DNSTestRecord(owner: "mta-sts.legacy.webcheck.test", type: .cname, value: "other.platform.test."),
        DNSTestRecord(owner: "edge.platform.test", type: .a, value: "127.0.0.1"),
        DNSTestRecord(owner: "other.platform.test", type: .a, value: "127.0.0.1"),
    ]

    @Test func checkPagesInHeadlessChromium() throws {
        let directory = try TemporaryDirectory(prefix: "webform-checks")
        let tools = try BrowserTools.require(scratch: directory)
        let dns = try DNSTestEnvironment.start(zones: [Self.zone, "platform.test"], records: Self.records)
        defer { dns.stop() }
        let server = try ServerProcess.start(
            databaseURL: try PostgresTestCluster.shared.makeDatabase(),
            resolver: dns.resolverAddress,
            edgeHostname: "edge.platform.test",
            environment: [
                "MTASTS_WORKER_SCAN_SECONDS": "1",
                "MTASTS_CHECK_HTTPS_PORT": String(try FreePort.allocate(udp: false)),
                "MTASTS_CHECK_SMTP_PORT": String(try FreePort.allocate(udp: false)),
                "MTASTS_CHECK_TIMEOUT": "10",
                "MTASTS_CHECK_LIMIT_PER_ADDRESS": String(Self.anonymousChecksPerHour),
            ],
            directory: directory
        )
        defer { server.stop() }

        let screenshots = WebFormJourneyTests.screenshotDirectory(default: directory)
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)
        let script = RepositoryPaths.root.appendingPathComponent("Tests/WebFormTests/Scripts/checks_journey.py").path
        var arguments = [
            script, "--base-url", server.baseURL, "--domain", Self.zone, "--problem-domain", Self.problemDomain,
            "--zone", Self.zone, "--knotc", dns.knotcPath, "--knot-socket", dns.controlSocketPath,
            "--output-dir", screenshots, "--chromium", tools.chromium, "--chromedriver", tools.chromedriver,
        ]
        if let guide = WebFormJourneyTests.guideDirectory { arguments += ["--guide-dir", guide] }
        let (termination, output) = try ManagedProcess.run(
            name: "checks-journey",
            executable: tools.python,
            arguments: arguments,
            logDirectory: directory.path,
            timeout: 240
        )
        try? output.write(toFile: screenshots + "/checks-journey.log", atomically: true, encoding: .utf8)
        #expect(termination == .exited(0), "the browser journey failed:\n\(output)\nserver log:\n\(server.logTail())")
        #expect(output.contains("CHECKS JOURNEY COMPLETE"), "\(output)")
        if let guide = WebFormJourneyTests.guideDirectory {
            WebFormJourneyTests.expectGuidePictures(in: guide, from: output, count: 4)
        }
    }
}

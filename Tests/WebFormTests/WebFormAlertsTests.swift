import DNS
import Foundation
import TestSupport
import Testing

/// The web form's Alerts page driven in headless Chromium against the real `mtasts serve` and PostgreSQL: a webhook
/// added (its secret shown once), a test event delivered to a receiver on loopback and one a receiver answers with
/// 500 (the log says it is retried), a refused URL, deletion; alert e-mail addresses added, a bad one refused beside
/// its line; and, on a second server with no mail relay, the page saying that the platform sends no e-mail.
///
/// No domain is involved, so no DNS servers run: the resolver address is a free port nobody answers on. The
/// platform is told to accept `http://` receivers on loopback (`MTASTS_WEBHOOK_ALLOW_INSECURE`,
/// `MTASTS_WEBHOOK_ALLOW_PRIVATE`); the receivers are an `http.server` the journey script runs. The first server's
/// relay (`MTASTS_SMTP_URL`) is a free port too: it only makes e-mail available, since no alert is raised here.
@Suite(.serialized) struct WebFormAlertsTests {
    @Test func alertsPageInHeadlessChromium() throws {
        let directory = try TemporaryDirectory(prefix: "webform-alerts")
        let tools = try BrowserTools.require(scratch: directory)
        let resolver = try DNSServerAddress("127.0.0.1:\(try FreePort.allocate())")
        let withRelay = try ServerProcess.start(
            databaseURL: try PostgresTestCluster.shared.makeDatabase(),
            resolver: resolver,
            edgeHostname: "edge.platform.test",
            environment: [
                "MTASTS_WORKER_SCAN_SECONDS": "1",
                "MTASTS_WEBHOOK_ALLOW_INSECURE": "on",
                "MTASTS_WEBHOOK_ALLOW_PRIVATE": "on",
                "MTASTS_SMTP_URL": "smtp://127.0.0.1:\(try FreePort.allocate(udp: false))",
                "MTASTS_MAIL_FROM": "alerts@platform.test",
            ],
            directory: directory
        )
        defer { withRelay.stop() }
        let withoutRelay = try ServerProcess.start(
            databaseURL: try PostgresTestCluster.shared.makeDatabase(),
            resolver: resolver,
            edgeHostname: "edge.platform.test",
            directory: try TemporaryDirectory(prefix: "webform-alerts-norelay")
        )
        defer { withoutRelay.stop() }

        let screenshots = WebFormJourneyTests.screenshotDirectory(default: directory)
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)
        let script = RepositoryPaths.root.appendingPathComponent("Tests/WebFormTests/Scripts/alerts_journey.py").path
        var arguments = [
            script, "--base-url", withRelay.baseURL, "--no-relay-url", withoutRelay.baseURL,
            "--output-dir", screenshots, "--chromium", tools.chromium, "--chromedriver", tools.chromedriver,
        ]
        if let guide = WebFormJourneyTests.guideDirectory { arguments += ["--guide-dir", guide] }
        let (termination, output) = try ManagedProcess.run(
            name: "alerts-journey",
            executable: tools.python,
            arguments: arguments,
            logDirectory: directory.path,
            timeout: 180
        )
        try? output.write(toFile: screenshots + "/alerts-journey.log", atomically: true, encoding: .utf8)
        #expect(
            termination == .exited(0),
            "the browser journey failed:\n\(output)\nserver log:\n\(withRelay.logTail())"
        )
        #expect(output.contains("ALERTS JOURNEY COMPLETE"), "\(output)")
        if let guide = WebFormJourneyTests.guideDirectory {
            WebFormJourneyTests.expectGuidePictures(in: guide, from: output, count: 1)
        }
    }
}

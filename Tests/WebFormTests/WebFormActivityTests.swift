import DNS
import Foundation
import TestSupport
import Testing

/// The web form's Activity page (the audit log) driven in headless Chromium against the real `mtasts serve` and
/// PostgreSQL: the sign-up listed by "You" from 127.0.0.1, an API token's action shown by the token's id (never its
/// secret), newest first, and "Load more" adding the older entries until there are none.
///
/// No domain is verified, so no DNS servers run: the resolver address is a free port nobody answers on.
@Suite(.serialized) struct WebFormActivityTests {
    @Test func activityPageInHeadlessChromium() throws {
        let directory = try TemporaryDirectory(prefix: "webform-activity")
        let tools = try BrowserTools.require(scratch: directory)
        let server = try ServerProcess.start(
            databaseURL: try PostgresTestCluster.shared.makeDatabase(),
            resolver: try DNSServerAddress("127.0.0.1:\(try FreePort.allocate())"),
            edgeHostname: "edge.platform.test",
            directory: directory
        )
        defer { server.stop() }
        let screenshots = WebFormJourneyTests.screenshotDirectory(default: directory)
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)
        let script = RepositoryPaths.root.appendingPathComponent("Tests/WebFormTests/Scripts/activity_journey.py").path
        let (termination, output) = try ManagedProcess.run(
            name: "activity-journey",
            executable: tools.python,
            arguments: [
                script, "--base-url", server.baseURL, "--output-dir", screenshots, "--chromium", tools.chromium,
                "--chromedriver", tools.chromedriver,
            ],
            logDirectory: directory.path,
            timeout: 180
        )
        try? output.write(toFile: screenshots + "/activity-journey.log", atomically: true, encoding: .utf8)
        #expect(termination == .exited(0), "the browser journey failed:\n\(output)\nserver log:\n\(server.logTail())")
        #expect(output.contains("ACTIVITY JOURNEY COMPLETE"), "\(output)")
    }
}

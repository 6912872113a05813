import Crypto
import Foundation
import HTTPCore
import TestSupport
import Testing
import WebClient

/// The edge's access log is written in batches (one `write(2)` per batch, like nginx's `buffer=`): lines show up
/// within a second while it runs, and SIGTERM loses none of them.
@Suite struct AccessLogTests {
    @Test func bufferedAccessLinesAreWrittenOnATimerAndNoneIsLostOnSIGTERM() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let directory = try TemporaryDirectory(prefix: "access-log")
        let http = try FreePort.allocate(udp: false)
        _ = try MasterKey.generate(toFile: directory.path("master.key"))
        let edge = try MTASTSBinary.launch(
            ["edge", "--no-migrate"],
            environment: [
                "MTASTS_DATABASE_URL": url,
                "MTASTS_MIGRATIONS_DIR": RepositoryPaths.migrations.path,
                "MTASTS_SECRET_KEY_FILE": directory.path("master.key"),
                "MTASTS_EDGE_HTTPS_LISTEN": "127.0.0.1:\(try FreePort.allocate(udp: false))",
                "MTASTS_EDGE_HTTP_LISTEN": "127.0.0.1:\(http)",
                "MTASTS_EDGE_ADMIN_LISTEN": "127.0.0.1:\(try FreePort.allocate(udp: false))",
                "MTASTS_EDGE_ACCESS_LOG": "on",
                "MTASTS_DATA_DIR": directory.path("data"),
                "MTASTS_EDGE_SNAPSHOT_FILE": directory.path("edge-snapshot.bin"),
            ],
            directory: directory
        )
        defer { _ = edge.terminate() }
        let client = try HTTPClient()
        func get(_ path: String) throws -> Int {
            try client.send(try ClientRequest(url: "http://127.0.0.1:\(http)\(path)")).status.code
        }
        // The lines of this test's own requests (not of the readiness poll before them).
        func accessLines() -> [Substring] {
            edge.standardError().split(separator: "\n").filter {
                $0.contains("log=access") && $0.contains("path=/.well-known/acme-challenge/")
            }
        }
        try Poll.until(deadline: 30, "the edge answers on its HTTP listener") {
            guard edge.isRunning else { throw TestSupportError("the edge exited: \(edge.logTail())") }
            return (try? get("/ready")) == 404
        }

        // Written by the timer while the edge runs, without waiting for the buffer to fill.
        #expect(accessLines().isEmpty)
        #expect(try get("/.well-known/acme-challenge/first") == 404)
        try Poll.until(deadline: 5, "the line is written within the flush interval") {
            accessLines().count == 1
        }
        #expect(accessLines().last?.contains("path=/.well-known/acme-challenge/first") == true)

        // A burst answered just before SIGTERM: every line is written at the orderly stop.
        for index in 0..<200 { #expect(try get("/.well-known/acme-challenge/burst-\(index)") == 404) }
        let termination = edge.terminate(gracePeriod: 15)
        #expect(termination == .exited(0), "\(edge.logTail(lines: 20))")
        let lines = accessLines()
        #expect(lines.count == 201, "\(lines.count - 1) of 200 burst lines written")
        for index in [0, 199] {
            #expect(lines.contains { $0.contains("path=/.well-known/acme-challenge/burst-\(index) ") })
        }
        #expect(lines.allSatisfy { $0.hasPrefix("ts=") && $0.contains(" status=404 ") }, "lines are whole")
    }
}

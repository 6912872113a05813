import Foundation
import HTTPCore
import Logging
import ReportIntake
import Store
import SystemIO
import TLS
import TestSupport
import Testing
import WebServer

/// The HTTPS door as the edge runs it (a virtual host on a TLS listener, the intake on its own pool), driven by
/// curl: hostile bodies get their 4xx while a good report posted at the same time is accepted.
@Suite struct ReportHTTPSDoorTests {
    @Test func hostileBodiesGetTheirStatusAndAGoodReportStillArrives() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let reception = try fixture.reception()
        reception.tokens.refresh()
        let directory = try TemporaryDirectory(prefix: "https-door")
        let certificate = try ReportsHostCertificate(directory: directory)
        let caFile = certificate.caFile
        let hostContext = certificate.context
        let tls = try TLSContext.makeServer(configuration: .server)
        tls.setServerNameResolver(DictionaryServerNameResolver(["reports.example.net": hostContext]))
        let group = try EventLoopGroup(numberOfLoops: 2)
        let pool = BlockingPool(numberOfThreads: 2, name: "reports", maximumQueued: 8)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                address: try SocketAddress(parsing: "127.0.0.1:0"),
                tls: tls,
                limits: HTTPParserLimits(bodyBytes: 1024),
                virtualHost: HTTPVirtualHost(
                    serverNames: ["reports.example.net"],
                    limits: HTTPParserLimits(bodyBytes: ReportHTTPResponder.maximumBodyBytes),
                    responder: ReportHTTPResponder(
                        acceptor: reception.acceptor,
                        problemBase: "https://api.example.net/problems/"
                    ),
                    pool: pool
                )
            ),
            group: group,
            responder: ReportHTTPResponder(acceptor: reception.acceptor, problemBase: "unused:")
        )
        try server.start()
        defer {
            server.shutdown(gracePeriod: .seconds(1))
            pool.shutdown()
            try? group.shutdownGracefully()
        }
        let port = try #require(server.localAddress?.port)

        /// curl's status code for a POST of the file at `path`, as a sender posts (RFC 8460 §5.4).
        func post(_ path: String, token: String, name: String) throws -> ManagedProcess {
            try ManagedProcess.launch(
                name: name,
                executable: "/usr/bin/curl",
                arguments: [
                    "--silent", "--output", "/dev/null", "--write-out", "%{http_code}", "--cacert", caFile,
                    "--resolve", "reports.example.net:\(port):127.0.0.1", "--max-time", "20",
                    "--header", "Content-Type: application/tlsrpt+gzip", "--data-binary", "@\(path)",
                    "https://reports.example.net:\(port)/v1/tlsrpt/\(token)",
                ],
                logDirectory: directory.path
            )
        }
        func status(_ process: ManagedProcess) throws -> String {
            try Poll.until(deadline: 30, "curl finishes") { process.poll() != nil }
            return try String(contentsOfFile: process.standardOutputPath, encoding: .utf8)
        }

        let large = try directory.write(String(repeating: "x", count: 10 << 20), to: "large.json")
        let good = directory.path + "/good.json.gz"
        try Data(try IntakeFixture.fixture("google.json.gz")).write(to: URL(fileURLWithPath: good))
        let deep = try directory.write(
            String(repeating: "[", count: 50) + String(repeating: "]", count: 50),
            to: "deep.json"
        )

        let flood = try post(large, token: fixture.token, name: "large")
        let nesting = try post(deep, token: fixture.token, name: "deep")
        let report = try post(good, token: fixture.token, name: "good")
        let stranger = try post(good, token: "ffffffffffffffffffffffff", name: "unknown")
        defer { for process in [flood, nesting, report, stranger] { _ = process.terminate(gracePeriod: 1) } }
        #expect(try status(report) == "200")
        #expect(try status(flood) == "413")
        #expect(try status(nesting) == "400")
        #expect(try status(stranger) == "404")
        #expect(reception.spool.usage.files == 1)
    }
}

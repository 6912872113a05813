import Database
import Foundation
import HTTPCore
import ReportIntake
import Store
import TLSReporting
import TestSupport
import Testing

/// PostgreSQL stops while reports arrive by both doors: every one is acknowledged from the spool, and all are
/// imported exactly once when it returns.
@Suite struct ReportOutageTests {
    /// google.json with its own report-id.
    static func report(_ number: Int) throws -> [UInt8] {
        let text = String(decoding: try IntakeFixture.fixture("google.json"), as: UTF8.self)
        return Array(
            text.replacingOccurrences(
                of: "\"report-id\":\"2026-11-01T00:00:00Z_example.com\"",
                with: "\"report-id\":\"outage-\(number)\""
            ).utf8
        )
    }

    /// A report mail as Google's are shaped, with the report as base64 application/tlsrpt+json.
    static func mail(_ report: [UInt8]) -> [UInt8] {
        let encoded = Data(report).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn])
            .replacingOccurrences(of: "\r", with: "\r\n")
        let text =
            "From: noreply-smtp-tls-reporting@google.com\r\nSubject: Report Domain: example.com\r\n"
            + "TLS-Report-Domain: example.com\r\nTLS-Report-Submitter: google.com\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=tlsrpt; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nA TLS report.\r\n"
            + "--b\r\nContent-Type: application/tlsrpt+json\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + encoded + "\r\n--b--\r\n"
        return Array(text.utf8)
    }

    @Test func reportsDuringAnOutageAreAcknowledgedAndImportedOnceAfterIt() throws {
        let cluster = try PostgresTestCluster.start()
        defer { cluster.destroy() }
        let fixture = try IntakeFixture(url: try cluster.makeDatabase())
        defer { fixture.cleanUp() }
        let reception = try fixture.reception()
        reception.tokens.refresh()
        let importer = ReportImporter(spool: reception.spool, store: fixture.store, logger: fixture.logger)
        let loop = ReportImportLoop(importer: importer, wake: reception.accepted, logger: fixture.logger)
        loop.start()
        defer { loop.stop() }
        let responder = ReportHTTPResponder(
            acceptor: reception.acceptor,
            problemBase: "https://api.example.net/problems/"
        )

        try cluster.cluster.stop()
        // The tokens still route from memory; a reload fails and keeps them.
        #expect(!reception.tokens.refresh())
        for number in 0..<50 {
            let request = HTTPRequest(
                head: HTTPRequestHead(method: .post, target: "/v1/tlsrpt/\(fixture.token)"),
                body: try Self.report(number)
            )
            #expect(responder.respond(to: request).status == .ok)
        }
        for number in 50..<100 {
            let message = Self.mail(try Self.report(number))
            let verdict = reception.acceptor.accept(token: fixture.token, channel: .smtp, client: "192.0.2.25") {
                () throws(TLSReportError) -> [[UInt8]] in try ReportPayload.decodeMessage(message)
            }
            guard case .accepted = verdict else { throw IntakeTestError("mail not accepted: \(verdict)") }
        }
        // A sender's retry of one already delivered.
        let retry = HTTPRequest(
            head: HTTPRequestHead(method: .post, target: "/v1/tlsrpt/\(fixture.token)"),
            body: try Self.report(7)
        )
        #expect(responder.respond(to: retry).status == .ok)
        #expect(reception.spool.usage.files == 101)
        try Poll.until(deadline: 20, "the importer tried and failed") { importer.totals.failedPasses > 0 }
        #expect(importer.totals.imported == 0)

        try cluster.cluster.start()
        try Poll.until(deadline: 60, interval: .milliseconds(200), "the spool is drained") {
            reception.spool.pending(limit: 1).isEmpty
        }
        let reports = try fixture.store.reports.list(
            domainID: fixture.domain.id,
            from: Date(timeIntervalSince1970: 0),
            to: Date(timeIntervalSince1970: 4_000_000_000),
            limit: 100
        )
        #expect(reports.count == 100)
        #expect(Set(reports.map(\.reportID)).count == 100)
        #expect(reports.filter { $0.channel == .smtp }.count == 50)
        #expect(importer.totals.imported == 100)
        #expect(importer.totals.duplicates == 1)
    }
}

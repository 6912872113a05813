import Database
import Foundation
import HTTPCore
import ReportIntake
import Store
import TLSReporting
import Testing

@Suite struct ReportIntakeTests {
    static func post(_ path: String, _ body: [UInt8], method: HTTPMethod = .post) throws -> HTTPRequest {
        var request = HTTPRequest(
            head: HTTPRequestHead(method: method, target: path, fields: [.host: "reports.example.net"]),
            body: body,
            remoteAddress: "192.0.2.9"
        )
        request.serverName = "reports.example.net"
        return request
    }

    static func problemType(_ response: HTTPResponse) -> String? {
        let text = String(decoding: response.body, as: UTF8.self)
        guard let range = text.range(of: #""type":"https://api.example.net/problems/"#) else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func theHTTPSDoorSpoolsValidReportsAndAnswersEveryOtherCaseWithItsStatus() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let reception = try fixture.reception()
        reception.tokens.refresh()
        let responder = ReportHTTPResponder(
            acceptor: reception.acceptor,
            problemBase: "https://api.example.net/problems/"
        )
        let path = "/v1/tlsrpt/\(fixture.token)"

        let gzip = try IntakeFixture.fixture("google.json.gz")
        let accepted = responder.respond(to: try Self.post(path, gzip))
        #expect(accepted.status == .ok)
        #expect(reception.spool.usage.files == 1)
        let entry = try reception.spool.read(try #require(reception.spool.pending(limit: 1).first))
        #expect(entry.report == (try IntakeFixture.fixture("google.json")))
        #expect(entry.channel == .https)
        #expect(entry.client == "192.0.2.9")

        let unknown = responder.respond(to: try Self.post("/v1/tlsrpt/ffffffffffffffffffffffff", gzip))
        #expect(unknown.status == .notFound)
        #expect(Self.problemType(unknown) == "unknown-reporting-address")
        #expect(responder.respond(to: try Self.post("/v1/tlsrpt/not-a-token", gzip)).status == .notFound)

        let notReport = responder.respond(to: try Self.post(path, Array(#"{"hello":"world"}"#.utf8)))
        #expect(notReport.status == .badRequest)
        #expect(Self.problemType(notReport) == "invalid-report")
        #expect(String(decoding: notReport.body, as: UTF8.self).contains("organization-name"))

        let empty = responder.respond(to: try Self.post(path, []))
        #expect(empty.status == .badRequest)
        let deep = Array((String(repeating: "[", count: 50) + String(repeating: "]", count: 50)).utf8)
        #expect(responder.respond(to: try Self.post(path, deep)).status == .badRequest)
        #expect(responder.respond(to: try Self.post(path, [0xC3, 0x28])).status == .badRequest)

        let get = responder.respond(to: try Self.post(path, [], method: .get))
        #expect(get.status == .methodNotAllowed)
        #expect(get.fields[.allow] == "POST")
        #expect(reception.spool.usage.files == 1)
        #expect(reception.acceptor.counts.accepted == 1)
    }

    @Test func aGzipBombIsTooLargeAndNothingIsSpooled() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let reception = try fixture.reception()
        reception.tokens.refresh()
        let responder = ReportHTTPResponder(
            acceptor: reception.acceptor,
            problemBase: "https://api.example.net/problems/"
        )
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "head -c 104857600 /dev/zero | gzip -9"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let bomb = Array(output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        let response = responder.respond(to: try Self.post("/v1/tlsrpt/\(fixture.token)", bomb))
        #expect(response.status == .contentTooLarge)
        #expect(reception.spool.usage.files == 0)
    }

    /// The same report by HTTPS and by mail, twice: one row; the spool is empty afterwards.
    @Test func theImporterStoresEachReportOnceAndMatchesThePolicyVersion() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let reception = try fixture.reception()
        reception.tokens.refresh()
        let importer = ReportImporter(spool: reception.spool, store: fixture.store, logger: fixture.logger)
        let json = try IntakeFixture.fixture("google.json")
        for channel in [ReportChannel.https, .smtp, .https] {
            let verdict = reception.acceptor.accept(token: fixture.token, channel: channel, client: nil) {
                () throws(TLSReportError) -> [[UInt8]] in [json]
            }
            guard case .accepted = verdict else { throw IntakeTestError("not accepted: \(verdict)") }
        }
        let pass = importer.importPending()
        #expect(pass == ReportImporter.Pass(imported: 1, duplicates: 2, rejected: 0, interrupted: false))
        #expect(reception.spool.pending(limit: 10).isEmpty)
        let reports = try fixture.store.reports.list(
            domainID: fixture.domain.id,
            from: Date(timeIntervalSince1970: 0),
            to: Date(timeIntervalSince1970: 4_000_000_000),
            limit: 10
        )
        #expect(reports.count == 1)
        #expect(reports.first?.failedSessions == 3)
        #expect(reports.first?.successfulSessions == 117)
        // google.json's policy-string is the domain's testing policy (mx1, mx2, max_age 86400).
        let current = try #require(try fixture.store.policies.current(domainID: fixture.domain.id))
        #expect(reports.first?.appliedPolicyIDs == [current.policyID])
        #expect(reports.first?.hasUnmatchedPolicy == false)
    }

    @Test func aReportForADomainGoneSinceItWasAcceptedIsRejectedNotRetried() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let spool = try ReportSpool(configuration: .init(directory: fixture.directory))
        let entry = SpoolEntry(
            token: "ffffffffffffffffffffffff",
            channel: .https,
            receivedAt: Date(),
            client: nil,
            report: try IntakeFixture.fixture("google.json")
        )
        _ = try spool.accept(entry)
        let importer = ReportImporter(spool: spool, store: fixture.store, logger: fixture.logger)
        #expect(importer.importPending().rejected == 1)
        #expect(spool.pending(limit: 1).isEmpty)
    }

    @Test func tokensSurviveARestartWithoutTheDatabase() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let first = try fixture.reception()
        first.tokens.refresh()
        #expect(first.acceptor.accepts(token: fixture.token))
        // A new process with no database reachable reads the cache file.
        let offline = try ReportReception(spoolDirectory: fixture.directory, store: nil, logger: fixture.logger)
        #expect(offline.acceptor.accepts(token: fixture.token))
        #expect(offline.acceptor.accepts(token: fixture.token.uppercased()))
        #expect(!offline.acceptor.accepts(token: "ffffffffffffffffffffffff"))
    }
}

struct IntakeTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

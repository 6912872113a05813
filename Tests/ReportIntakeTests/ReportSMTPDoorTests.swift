import Foundation
import Logging
import ReportIntake
import SMTPServer
import Store
import TestSupport
import Testing

/// The mail door with a real client (Python's smtplib): STARTTLS without SNI gets the reports host's
/// certificate, unknown recipients are refused at RCPT, a report is spooled before the 250, and a message
/// without a report gets a 550 naming the rule.
@Suite struct ReportSMTPDoorTests {
    static let script = """
        import smtplib, ssl, sys
        port, cafile, recipient, path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
        client = smtplib.SMTP("127.0.0.1", port, local_hostname="mail.sender.test", timeout=10)
        context = ssl.create_default_context(cafile=cafile)
        context.check_hostname = False  # connected by address: no SNI, the chain is still verified
        client.starttls(context=context)
        client.ehlo()
        client.mail("noreply-smtp-tls-reporting@sender.test")
        code, text = client.rcpt("ffffffffffffffffffffffff@reports.example.net")
        print("UNKNOWN", code)
        code, text = client.rcpt(recipient)
        print("RCPT", code)
        code, text = client.data(open(path, "rb").read())
        print("DATA", code, text.decode())
        client.quit()
        """

    @Test func aMailedReportIsSpooledAndImported() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let reception = try fixture.reception()
        reception.tokens.refresh()
        let door = try MailDoorFixture(reception: reception, logger: fixture.logger)
        defer { door.shutdown() }
        let scriptPath = try door.directory.write(Self.script, to: "send.py")
        let python = RepositoryPaths.root.appendingPathComponent(".venv/bin/python3").path
        func send(_ message: String) throws -> String {
            let path = try door.directory.write(
                String(decoding: try IntakeFixture.fixture(message), as: UTF8.self),
                to: message
            )
            let (termination, output) = try ManagedProcess.run(
                name: "smtplib-report",
                executable: python,
                arguments: [scriptPath, String(door.port), door.caFile, "\(fixture.token)@reports.example.net", path],
                logDirectory: door.directory.path
            )
            #expect(termination == .exited(0), "\(output)")
            return output
        }

        let delivered = try send("google-report.eml")
        #expect(delivered.contains("UNKNOWN 550"), "\(delivered)")
        #expect(delivered.contains("RCPT 250"), "\(delivered)")
        #expect(delivered.contains("DATA 250"), "\(delivered)")
        #expect(door.listener.metrics.tlsSessions >= 1)
        #expect(reception.spool.usage.files == 1)

        let refused = try send("no-report.eml")
        #expect(refused.contains("DATA 550 5.6.0"), "\(refused)")
        #expect(reception.spool.usage.files == 1)

        let importer = ReportImporter(spool: reception.spool, store: fixture.store, logger: fixture.logger)
        #expect(importer.importPending().imported == 1)
        let stored = try fixture.store.reports.list(
            domainID: fixture.domain.id,
            from: Date(timeIntervalSince1970: 0),
            to: Date(timeIntervalSince1970: 4_000_000_000),
            limit: 5
        )
        #expect(stored.map(\.channel) == [.smtp])
        #expect(stored.first?.failedSessions == 3)
    }
}

import Foundation
import ReportIntake
import SMTPServer
import Store
import TestSupport
import Testing

/// The mail door as a real MTA reaches it: a private Postfix (``PostfixRelay``) relays a Google-shaped report to
/// the in-process door over STARTTLS, verifying the door's certificate for `reports.example.net` against the test
/// CA, and the report is spooled and imported as mailed (`.smtp`); a message to an unknown token is refused at
/// RCPT, so Postfix bounces it and nothing is spooled. And the operator's own MTA: Postfix hands reports to
/// `mtasts reports import` through the pipe transport `mtasts reports import --help` documents, and turns its exit
/// statuses into deliveries and bounces.
@Suite struct PostfixRelayTests {
    /// The envelope sender Google's reports come from; the bounce Postfix makes for it is discarded.
    static let reporter = "noreply-smtp-tls-reporting@google.com"

    /// One door, its reception and a relay in front of it, all stopped by ``stop()``.
    struct Setup {
        let fixture: IntakeFixture
        let reception: ReportReception
        let door: MailDoorFixture
        let relay: PostfixRelay

        init() throws {
            fixture = try IntakeFixture()
            do {
                reception = try fixture.reception()
                reception.tokens.refresh()
                door = try MailDoorFixture(reception: reception, logger: fixture.logger)
            } catch {
                fixture.cleanUp()
                throw error
            }
            do {
                relay = try PostfixRelay.start(
                    .init(
                        relayDomain: MailDoorFixture.hostname,
                        destination: .smtp(
                            port: door.port,
                            trustAnchorsPEM: door.caPEM,
                            certificateName: MailDoorFixture.hostname
                        )
                    )
                )
            } catch {
                door.shutdown()
                fixture.cleanUp()
                throw error
            }
        }

        /// Relays `fixtureName` (from Tests/TLSReportingTests/Fixtures) to `recipient`; returns what Postfix did.
        func relay(_ fixtureName: String, to recipient: String) throws -> PostfixRelay.Delivery {
            let message = try door.directory.write(
                String(decoding: try IntakeFixture.fixture(fixtureName), as: UTF8.self),
                to: fixtureName
            )
            let queueID = try relay.submit(from: PostfixRelayTests.reporter, to: recipient, messageFile: message)
            return try relay.waitForDelivery(queueID: queueID)
        }

        /// Stops Postfix first (it must not retry into a closed door); returns Postfix processes left running.
        func stop() -> [Int32] {
            let survivors = relay.stop()
            door.shutdown()
            fixture.cleanUp()
            return survivors
        }
    }

    @Test func aReportRelayedByPostfixOverVerifiedTLSIsSpooledAndImported() throws {
        let setup = try Setup()
        var survivors: [Int32]?
        defer { if survivors == nil { _ = setup.stop() } }

        let delivery = try setup.relay("google-report.eml", to: "\(setup.fixture.token)@reports.example.net")
        try #require(delivery.status == "sent", "\(setup.relay.logTail())")
        // The door answers 250 only once the report is on disk, so this holds at once.
        try Poll.until(deadline: 10, "the relayed report is in the spool") {
            setup.reception.spool.usage.files == 1
        }
        #expect(delivery.line.contains("relay=127.0.0.1[127.0.0.1]:\(setup.door.port)"), "\(delivery.line)")
        // Postfix checked the chain against the test CA and the name reports.example.net (level "secure").
        let log = setup.relay.log()
        #expect(
            log.contains("Verified TLS connection established to 127.0.0.1[127.0.0.1]:\(setup.door.port)"),
            "\(setup.relay.logTail())"
        )
        #expect(setup.door.listener.metrics.tlsSessions >= 1)

        let importer = ReportImporter(
            spool: setup.reception.spool,
            store: setup.fixture.store,
            logger: setup.fixture.logger
        )
        #expect(importer.importPending().imported == 1)
        let stored = try setup.fixture.store.reports.list(
            domainID: setup.fixture.domain.id,
            from: Date(timeIntervalSince1970: 0),
            to: Date(timeIntervalSince1970: 4_000_000_000),
            limit: 5
        )
        let report = try #require(stored.first)
        #expect(stored.count == 1)
        #expect(report.organizationName == "Google Inc.")
        #expect(report.reportID == "2026-11-01T00:00:00Z_example.com")
        #expect(report.channel == .smtp)
        #expect(report.successfulSessions == 117)
        #expect(report.failedSessions == 3)

        survivors = setup.stop()
        #expect(survivors == [], "Postfix processes left running")
    }

    @Test func aReportToAnUnknownTokenIsBouncedByPostfix() throws {
        let setup = try Setup()
        var survivors: [Int32]?
        defer { if survivors == nil { _ = setup.stop() } }

        let delivery = try setup.relay("google-report.eml", to: "ffffffffffffffffffffffff@reports.example.net")
        #expect(delivery.status == "bounced", "\(setup.relay.logTail())")
        #expect(delivery.line.contains("said: 550 5.1.1 No such reporting address"), "\(delivery.line)")
        #expect(delivery.line.contains("in reply to RCPT TO command"), "\(delivery.line)")
        #expect(setup.relay.log().contains("Verified TLS connection established"), "\(setup.relay.logTail())")
        #expect(setup.reception.spool.usage.files == 0)
        #expect(setup.reception.acceptor.counts.accepted == 0)

        survivors = setup.stop()
        #expect(survivors == [], "Postfix processes left running")
    }

    @Test func postfixPipesReportsIntoReportsImportAndBouncesWhatItRefuses() throws {
        let fixture = try IntakeFixture()
        defer { fixture.cleanUp() }
        let binary = RepositoryPaths.debugBinary.path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError("\(binary) is missing: run `swift build` before `swift test` (make test does)")
        }
        // pipe(8) never runs a command as root: the spool belongs to the pipe's user, as to `mtasts` in production.
        _ = try fixture.reception()
        try Self.changeOwner(of: fixture.directory, to: "nobody")
        let relay = try PostfixRelay.start(
            .init(
                relayDomain: "reports.example.net",
                destination: .pipe(
                    user: "nobody",
                    argv: [binary, "reports", "import", "--recipient", "${recipient}"],
                    environment: [
                        "MTASTS_DATABASE_URL": fixture.url,
                        "MTASTS_REPORTS_HOSTNAME": "reports.example.net",
                        "MTASTS_REPORTS_MAIL_DOMAIN": "reports.example.net",
                        "MTASTS_REPORTS_SPOOL_DIR": fixture.directory,
                    ]
                )
            )
        )
        var survivors: [Int32]?
        defer { if survivors == nil { relay.stop() } }
        let messages = try TemporaryDirectory(prefix: "piped-reports")
        func pipe(_ fixtureName: String, to recipient: String) throws -> PostfixRelay.Delivery {
            let message = try messages.write(
                String(decoding: try IntakeFixture.fixture(fixtureName), as: UTF8.self),
                to: fixtureName
            )
            let queueID = try relay.submit(from: Self.reporter, to: recipient, messageFile: message)
            return try relay.waitForDelivery(queueID: queueID)
        }

        let delivered = try pipe("google-report.eml", to: "\(fixture.token)@reports.example.net")
        #expect(delivered.status == "sent", "\(relay.logTail())")
        #expect(delivered.line.contains("delivered via tlsrpt service"), "\(delivered.line)")
        let unknown = try pipe("google-report.eml", to: "ffffffffffffffffffffffff@reports.example.net")
        #expect(unknown.status == "bounced", "\(relay.logTail())")
        #expect(unknown.line.contains("dsn=5.1.1"), "\(unknown.line)")
        #expect(unknown.line.contains("no domain receives reports"), "\(unknown.line)")
        let notAReport = try pipe("no-report.eml", to: "\(fixture.token)@reports.example.net")
        #expect(notAReport.status == "bounced", "\(relay.logTail())")
        #expect(notAReport.line.contains("dsn=5.6.0"), "\(notAReport.line)")
        #expect(notAReport.line.contains("not a TLS report"), "\(notAReport.line)")

        let reception = try fixture.reception()
        #expect(reception.spool.usage.files == 1)
        let importer = ReportImporter(spool: reception.spool, store: fixture.store, logger: fixture.logger)
        #expect(importer.importPending().imported == 1)
        let stored = try fixture.store.reports.list(
            domainID: fixture.domain.id,
            from: Date(timeIntervalSince1970: 0),
            to: Date(timeIntervalSince1970: 4_000_000_000),
            limit: 5
        )
        #expect(stored.map(\.channel) == [.import])
        #expect(stored.first?.failedSessions == 3)

        survivors = relay.stop()
        #expect(survivors == [], "Postfix processes left running")
    }

    /// `chown -R user path`.
    private static func changeOwner(of path: String, to user: String) throws {
        let files = FileManager.default
        let owner: [FileAttributeKey: Any] = [.ownerAccountName: user]
        try files.setAttributes(owner, ofItemAtPath: path)
        for name in try files.subpathsOfDirectory(atPath: path) {
            try files.setAttributes(owner, ofItemAtPath: path + "/" + name)
        }
    }
}

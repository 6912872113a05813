import Foundation
import Logging
import MTASTS
import SMTPClient
import Store
import SystemIO
import TLS
import TestSupport
import Testing
import Worker

/// Alert e-mail through a real relay (aiosmtpd on loopback, STARTTLS and AUTH required): what the relay received,
/// and how refusals are retried or given up.
@Suite struct AlertMailTests {
    private static let logger = Logger(label: "alert-mail-test", level: .critical)

    private struct Setup {
        let store: DataStore
        let domainID: UUID
        let directory: TemporaryDirectory
        let pki: SMTPTestPKI
    }

    private func setup(_ name: String) throws -> Setup {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let directory = try TemporaryDirectory(prefix: "alert-mail")
        let fixtures = try ServedDomainFixtures(url: url, directory: directory)
        let (domainID, _) = try fixtures.addDomain(
            name,
            policy: try Policy(parsing: ServedDomainFixtures.policy(mode: "enforce", mx: "mx.\(name)")),
            certificate: false
        )
        let domain = try #require(try fixtures.store.domains.find(id: domainID))
        try fixtures.store.accounts.setAlertEmailRecipients(
            accountID: domain.accountID,
            ["ops@\(name)", "oncall@\(name)"]
        )
        return Setup(
            store: fixtures.store,
            domainID: domainID,
            directory: directory,
            pki: try SMTPTestPKI(directory: directory)
        )
    }

    private func relay(
        _ name: String,
        _ pki: SMTPTestPKI,
        configure: (inout SMTPFixtureServer.Fixture) -> Void = { _ in }
    )
        -> SMTPFixtureServer.Fixture
    {
        var fixture = SMTPFixtureServer.Fixture(name: name, credential: pki.relay)
        fixture.hostname = SMTPTestPKI.relayHost
        fixture.requireSTARTTLS = true
        fixture.user = "alerts"
        fixture.password = "secret"
        fixture.authRequired = true
        configure(&fixture)
        return fixture
    }

    private func mailer(_ setup: Setup, port: UInt16?, ahead: TimeInterval = 0) throws -> EmailAlertDeliverer {
        var submission: SMTPSubmissionConfiguration?
        if let port {
            var configuration = try SMTPSubmissionConfiguration(
                relay: try SMTPRelayURL("smtp://alerts:secret@\(SMTPTestPKI.relayHost):\(port)"),
                sender: try SMTPMailbox(parsing: "MTA-STS alerts <alerts@platform.test>"),
                localHostName: "worker.platform.test"
            )
            configuration.trustRoots = .file(setup.pki.rootsPath)
            configuration.resolver = SMTPHostResolver { _ in
                [SocketAddress(addressBytes: [127, 0, 0, 1], port: 0)].compactMap { $0 }
            }
            submission = configuration
        }
        return try EmailAlertDeliverer(
            store: setup.store,
            settings: .init(submission: submission, publicURL: "https://mtasts.platform.test/"),
            workerID: "mail-test",
            clock: { Date().addingTimeInterval(ahead) },
            logger: Self.logger
        )
    }

    private func open(_ setup: Setup, _ code: String) throws {
        _ = try setup.store.alerts.reconcile(
            domainID: setup.domainID,
            current: [
                AlertCondition(
                    code: code,
                    severity: "error",
                    message: "The MX host mx2.mail.test matches no mx pattern.",
                    fix: "Add \"mx: mx2.mail.test\" to the policy."
                )
            ],
            at: Date()
        )
    }

    private func email(_ store: DataStore, _ accountID: UUID) throws -> [(status: String, error: String?)] {
        try store.emailDeliveries(workerID: "x").recent(accountID: accountID, limit: 10).map { ($0.status, $0.error) }
    }

    @Test func anAlertArrivesAtEachAddressThroughTheRelayOverSTARTTLS() throws {
        let setup = try setup("mail.test")
        let server = try SMTPFixtureServer(fixtures: [relay("relay", setup.pki)], directory: setup.directory)
        defer { server.stop() }
        try open(setup, "mx-uncovered")
        let mailer = try mailer(setup, port: try server.port("relay"))
        #expect(try mailer.deliverNext())
        #expect(try !mailer.deliverNext())
        let received = try #require(try server.messages("relay").first, "\(server.log)")
        #expect(try server.messages("relay").count == 1)
        #expect(received.isTLS && received.authenticationLogin == "alerts")
        #expect(received.mailFrom == "alerts@platform.test")
        #expect(received.recipients == ["ops@mail.test", "oncall@mail.test"])
        #expect(received.text.contains("Subject: [MTA-STS] mail.test: Problem: mx-uncovered\r\n"))
        #expect(received.text.contains("The MX host mx2.mail.test matches no mx pattern."))
        #expect(received.text.contains("What to do: Add \"mx: mx2.mail.test\" to the policy."))
        #expect(received.text.contains("https://mtasts.platform.test/#/domains/mail.test"))
        let domain = try #require(try setup.store.domains.find(id: setup.domainID))
        #expect(try email(setup.store, domain.accountID).map(\.status) == ["delivered"])

        // The condition clears: one "resolved" message.
        _ = try setup.store.alerts.reconcile(domainID: setup.domainID, current: [], at: Date())
        #expect(try mailer.deliverNext())
        let messages = try server.messages("relay")
        #expect(
            messages.count == 2 && messages[1].text.contains("Subject: [MTA-STS] mail.test: Resolved: mx-uncovered")
        )
    }

    @Test func refusalsAreRetriedOrGivenUpAndAMissingRelaySaysSo() throws {
        let setup = try setup("refusing.test")
        let domain = try #require(try setup.store.domains.find(id: setup.domainID))
        let server = try SMTPFixtureServer(
            fixtures: [
                relay("busy", setup.pki) { $0.dataReply = "451 4.3.0 Try again later" },
                relay("refusing", setup.pki) { $0.dataReply = "554 5.7.1 Rejected" },
            ],
            directory: setup.directory
        )
        defer { server.stop() }
        try open(setup, "policy-fetch-failed")
        // A temporary refusal: pending again, with the relay's answer.
        #expect(try mailer(setup, port: try server.port("busy")).deliverNext())
        let afterBusy = try email(setup.store, domain.accountID)
        #expect(afterBusy.map(\.status) == ["pending"] && afterBusy[0].error?.contains("451") == true)
        // A permanent refusal on the next attempt (due within the hour): failed at once.
        #expect(try mailer(setup, port: try server.port("refusing"), ahead: 3600).deliverNext())
        let afterRefusal = try email(setup.store, domain.accountID)
        #expect(afterRefusal.map(\.status) == ["failed"] && afterRefusal[0].error?.contains("554") == true)

        // No relay configured: the deliveries (one condition opened, the other resolved) fail and say why.
        try open(setup, "sts-record-missing")
        let unconfigured = try mailer(setup, port: nil)
        #expect(try unconfigured.deliverNext() && unconfigured.deliverNext() && !unconfigured.deliverNext())
        let missing = try email(setup.store, domain.accountID).prefix(2)
        #expect(missing.count == 2)
        #expect(missing.allSatisfy { $0.status == "failed" && $0.error?.contains("MTASTS_SMTP_URL") == true })
    }
}

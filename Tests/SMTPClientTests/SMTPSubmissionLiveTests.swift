import Foundation
import SystemIO
import TLS
import TestSupport
import Testing

@testable import SMTPClient

/// Relay submission against real SMTP servers (aiosmtpd) on loopback: what the relay received, and what the client
/// refuses to do.
@Suite struct SMTPSubmissionLiveTests {
    private static let user = "alerts@mtasts.test"
    private static let password = "p@ss:w%rd"

    /// A relay requiring STARTTLS and AUTH with the test credentials.
    private func relayFixture(_ name: String, pki: SMTPTestPKI) -> SMTPFixtureServer.Fixture {
        var fixture = SMTPFixtureServer.Fixture(name: name, credential: pki.relay)
        fixture.hostname = SMTPTestPKI.relayHost
        fixture.requireSTARTTLS = true
        fixture.user = Self.user
        fixture.password = Self.password
        fixture.authRequired = true
        return fixture
    }

    /// A client for `url`, trusting the test CA, resolving every name to loopback.
    private func client(_ url: String, pki: SMTPTestPKI) throws -> SMTPSubmissionClient {
        var configuration = try SMTPSubmissionConfiguration(
            relay: try SMTPRelayURL(url),
            sender: try SMTPMailbox(parsing: "MTA-STS alerts <alerts@mtasts.test>"),
            localHostName: "worker.mtasts.test"
        )
        configuration.trustRoots = .file(pki.rootsPath)
        configuration.resolver = SMTPProbeLiveTests.loopback
        configuration.timeouts.total = .seconds(30)
        return try SMTPSubmissionClient(configuration: configuration)
    }

    /// `smtp://<encoded user>:<encoded password>@relay.submission.test:<port>`.
    private func url(port: UInt16, scheme: String = "smtp", host: String = SMTPTestPKI.relayHost) -> String {
        "\(scheme)://alerts%40mtasts.test:p%40ss%3Aw%25rd@\(host):\(port)"
    }

    private func mailboxes(_ addresses: String...) throws -> [SMTPMailbox] {
        try addresses.map { try SMTPMailbox(try SMTPAddress($0)) }
    }

    @Test func messageArrivesOverSTARTTLSWithAuthHeadersAndDotStuffing() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-submit")
        let pki = try SMTPTestPKI(directory: directory)
        let server = try SMTPFixtureServer(fixtures: [relayFixture("relay", pki: pki)], directory: directory)
        defer { server.stop() }
        let client = try client(url(port: try server.port("relay")), pki: pki)
        let body = "Hello \u{E4}dmin,\n.\n..two dots\n.hidden line\nlast line without a break"
        let message = try client.makeMessage(
            to: try mailboxes("admin@customer.test", "ops@customer.test"),
            subject: "Zertifikat l\u{E4}uft ab",
            body: body,
            date: 1_751_362_200
        )
        let receipt = try client.send(message)
        #expect(receipt.acceptedRecipients.map(\.description) == ["admin@customer.test", "ops@customer.test"])
        #expect(receipt.rejectedRecipients.isEmpty)
        #expect(receipt.reply.code == 250)
        #expect(receipt.transferEncoding == .eightBit)
        #expect(receipt.messageID == message.messageID && message.messageID.hasSuffix("@mtasts.test"))

        let received = try #require(try server.messages("relay").first, "\(server.log)")
        #expect(try server.messages("relay").count == 1)
        #expect(received.isTLS)
        #expect(received.authenticationMechanism == "PLAIN")
        #expect(received.authenticationLogin == Self.user)
        #expect(received.mailFrom == "alerts@mtasts.test")
        #expect(received.recipients == ["admin@customer.test", "ops@customer.test"])
        #expect(received.mailOptions.contains("BODY=8BITMIME"))
        #expect(received.mailOptions.contains { $0.hasPrefix("SIZE=") })
        let parts = received.text.components(separatedBy: "\r\n\r\n")
        let header = parts[0]
        #expect(header.contains("Date: Tue, 01 Jul 2025 09:30:00 +0000\r\n"))
        #expect(header.contains("From: MTA-STS alerts <alerts@mtasts.test>\r\n"))
        #expect(header.contains("To: <admin@customer.test>, <ops@customer.test>\r\n"))
        #expect(header.contains("Subject: =?utf-8?B?WmVydGlmaWthdCBsw6R1ZnQgYWI=?=\r\n"))
        #expect(header.contains("Message-ID: <\(message.messageID)>\r\n"))
        #expect(header.contains("MIME-Version: 1.0\r\n"))
        #expect(header.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        #expect(header.hasSuffix("Content-Transfer-Encoding: 8bit"))
        // The relay undoes dot-stuffing: getting the body back intact, the lone "." included, proves it was done.
        let receivedBody = parts.dropFirst().joined(separator: "\r\n\r\n")
        #expect(receivedBody == body.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
        // Nothing before TLS, and AUTH once.
        #expect(
            server.events("relay") == [
                "SNI \(SMTPTestPKI.relayHost)", "AUTH PLAIN \(Self.user)", "MAIL alerts@mtasts.test tls",
            ]
        )
    }

    @Test func authLoginIsUsedWhenPlainIsNotOffered() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-submit")
        let pki = try SMTPTestPKI(directory: directory)
        var fixture = relayFixture("login", pki: pki)
        fixture.excludeMechanisms = ["PLAIN"]
        let server = try SMTPFixtureServer(fixtures: [fixture], directory: directory)
        defer { server.stop() }
        let client = try client(url(port: try server.port("login")), pki: pki)
        _ = try client.send(
            try client.makeMessage(to: try mailboxes("a@customer.test"), subject: "x", body: "y", date: 0)
        )
        #expect(try server.messages("login").first?.authenticationMechanism == "LOGIN")
        #expect(try server.messages("login").first?.authenticationLogin == Self.user)
    }

    @Test func anIPLiteralRelayIsVerifiedAgainstItsAddress() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-submit")
        let pki = try SMTPTestPKI(directory: directory)
        let server = try SMTPFixtureServer(fixtures: [relayFixture("literal", pki: pki)], directory: directory)
        defer { server.stop() }
        let client = try client(url(port: try server.port("literal"), host: "127.0.0.1"), pki: pki)
        let receipt = try client.send(
            try client.makeMessage(to: try mailboxes("a@customer.test"), subject: "x", body: "y", date: 0)
        )
        #expect(receipt.relayAddress.ipAddress == "127.0.0.1")
        // No SNI for an address (RFC 6066 §3).
        #expect(server.events("literal") == ["SNI None", "AUTH PLAIN \(Self.user)", "MAIL alerts@mtasts.test tls"])
    }

    @Test func aRelayWithoutSTARTTLSGetsNothingButEHLO() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-submit")
        let pki = try SMTPTestPKI(directory: directory)
        var fixture = SMTPFixtureServer.Fixture(name: "plain")
        fixture.user = Self.user
        fixture.password = Self.password
        let server = try SMTPFixtureServer(fixtures: [fixture], directory: directory)
        defer { server.stop() }
        let client = try client(url(port: try server.port("plain")), pki: pki)
        let message = try client.makeMessage(to: try mailboxes("a@customer.test"), subject: "x", body: "y", date: 0)
        #expect(throws: SMTPClientError(.startTLSUnavailable, "")) { try client.send(message) }
        do {
            _ = try client.send(message)
        } catch {
            #expect(!error.isTransient)
            #expect(!error.description.contains("w%rd") && !error.description.contains("p@ss"))
        }
        #expect(server.events("plain").isEmpty)
        #expect(try server.messages("plain").isEmpty)
    }

    @Test func aRelayCertificateThatDoesNotVerifyIsRefusedBeforeAuth() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-submit")
        let pki = try SMTPTestPKI(directory: directory)
        var fixture = relayFixture("wrong-name", pki: pki)
        fixture.certificate = pki.otherName.certificatePath
        fixture.key = pki.otherName.keyPath
        let server = try SMTPFixtureServer(fixtures: [fixture], directory: directory)
        defer { server.stop() }
        let client = try client(url(port: try server.port("wrong-name")), pki: pki)
        let message = try client.makeMessage(to: try mailboxes("a@customer.test"), subject: "x", body: "y", date: 0)
        do {
            _ = try client.send(message)
            Issue.record("a relay with a certificate for another name was used")
        } catch {
            #expect(error.code == .tlsFailed)
            #expect(error.verificationFailure?.kind == .nameMismatch)
            #expect(!error.isTransient)
        }
        #expect(server.events("wrong-name") == ["SNI \(SMTPTestPKI.relayHost)"])
    }

    @Test func permanentAndTransientRefusalsAreTold() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-submit")
        let pki = try SMTPTestPKI(directory: directory)
        var recipients = relayFixture("rcpt", pki: pki)
        recipients.recipientReplies = [
            "nobody@customer.test": "550 5.1.1 No such user", "busy@customer.test": "450 4.2.1 Mailbox busy",
        ]
        var later = relayFixture("later", pki: pki)
        later.dataReply = "451 4.3.0 Try again later"
        var never = relayFixture("never", pki: pki)
        never.dataReply = "554 5.7.1 Message rejected"
        var wrongPassword = relayFixture("auth", pki: pki)
        wrongPassword.password = "something else"
        let server = try SMTPFixtureServer(fixtures: [recipients, later, never, wrongPassword], directory: directory)
        defer { server.stop() }

        func send(_ fixture: String, to addresses: String...) throws -> Result<SMTPSubmissionReceipt, SMTPClientError> {
            let client = try client(url(port: try server.port(fixture)), pki: pki)
            let message = try client.makeMessage(
                to: try addresses.map { try SMTPMailbox(try SMTPAddress($0)) },
                subject: "x",
                body: "y",
                date: 0
            )
            do {
                return .success(try client.send(message))
            } catch {
                return .failure(error)
            }
        }
        func failure(_ result: Result<SMTPSubmissionReceipt, SMTPClientError>) -> SMTPClientError? {
            if case .failure(let error) = result { return error }
            return nil
        }

        let unknown = failure(try send("rcpt", to: "nobody@customer.test"))
        #expect(unknown?.code == .rejected && unknown?.step == .recipient && unknown?.isTransient == false)
        #expect(unknown?.reply?.enhancedStatusCode?.description == "5.1.1")

        let busy = failure(try send("rcpt", to: "busy@customer.test"))
        #expect(busy?.code == .rejected && busy?.reply?.code == 450 && busy?.isTransient == true)

        let mixed = try send("rcpt", to: "ok@customer.test", "nobody@customer.test", "busy@customer.test").get()
        #expect(mixed.acceptedRecipients.map(\.description) == ["ok@customer.test"])
        #expect(mixed.rejectedRecipients.map(\.reply.code) == [550, 450])
        #expect(mixed.rejectedRecipients.map(\.isTransient) == [false, true])
        #expect(try server.messages("rcpt").map(\.recipients) == [["ok@customer.test"]])

        let deferred = failure(try send("later", to: "a@customer.test"))
        #expect(deferred?.step == .message && deferred?.reply?.code == 451 && deferred?.isTransient == true)

        let refused = failure(try send("never", to: "a@customer.test"))
        #expect(refused?.step == .message && refused?.reply?.code == 554 && refused?.isTransient == false)

        let denied = failure(try send("auth", to: "a@customer.test"))
        #expect(denied?.step == .authentication && denied?.reply?.code == 535 && denied?.isTransient == false)
        #expect(try server.messages("auth").isEmpty)
    }

    @Test func anUnreachableRelayIsATransientFailure() throws {
        let directory = try TemporaryDirectory(prefix: "smtp-submit")
        let pki = try SMTPTestPKI(directory: directory)
        let client = try client(url(port: try FreePort.allocate(udp: false)), pki: pki)
        let message = try client.makeMessage(to: try mailboxes("a@customer.test"), subject: "x", body: "y", date: 0)
        do {
            _ = try client.send(message)
            Issue.record("sending to a closed port succeeded")
        } catch {
            #expect(error.code == .connectFailed)
            #expect(error.isTransient)
        }
    }
}

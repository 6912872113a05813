import Testing

@testable import SMTPClient

/// The session logic without sockets: each test plays the server's side of a dialogue.
@Suite struct SMTPClientStateMachineTests {
    private static let ehloWithSTARTTLS = reply(250, "relay.example Hello", "8BITMIME", "STARTTLS")
    private static let ehloUnderTLS = reply(250, "relay.example Hello", "8BITMIME", "SIZE 100000", "AUTH PLAIN LOGIN")

    private static func reply(_ code: Int, _ lines: String...) -> SMTPReply {
        SMTPReply(code: code, lines: lines)
    }

    private func address(_ text: String) throws -> SMTPAddress { try SMTPAddress(text) }

    private func submission(
        to recipients: [String] = ["admin@customer.example"],
        credentials: SMTPCredentials? = nil,
        body: String = "Hello.\n"
    ) throws -> SMTPClientStateMachine {
        let message = try SMTPMessage(
            from: try SMTPMailbox(try address("alerts@mtasts.example")),
            to: try recipients.map { try SMTPMailbox(try address($0)) },
            subject: "Alert",
            body: body,
            date: 0,
            messageID: "1@mtasts.example"
        )
        return SMTPClientStateMachine(
            mode: .submission(SMTPSubmissionPlan(message: message, credentials: credentials)),
            localHostName: "worker.mtasts.example"
        )
    }

    /// Greeting, EHLO with STARTTLS, STARTTLS, handshake, EHLO under TLS; returns the action after that EHLO.
    private func open(
        _ machine: inout SMTPClientStateMachine,
        ehloUnderTLS: SMTPReply = ehloUnderTLS
    ) -> SMTPClientStateMachine.Action {
        #expect(machine.start() == .receiveGreeting)
        #expect(machine.receive(Self.reply(220, "relay.example ESMTP")) == .send(.ehlo("worker.mtasts.example")))
        #expect(machine.receive(Self.ehloWithSTARTTLS) == .send(.startTLS))
        #expect(machine.receive(Self.reply(220, "2.0.0 Ready to start TLS")) == .startTLS)
        #expect(machine.step == .tlsHandshake)
        #expect(machine.tlsEstablished() == .send(.ehlo("worker.mtasts.example")))
        return machine.receive(ehloUnderTLS)
    }

    private func mailFrom(_ parameters: [String]) throws -> SMTPClientStateMachine.Action {
        .send(.mailFrom(try address("alerts@mtasts.example"), parameters: parameters))
    }

    // MARK: - Probe

    @Test func probeUpgradesWithSTARTTLSThenQuitsWithoutMail() {
        var machine = SMTPClientStateMachine(mode: .probe, localHostName: "checker.example")
        #expect(machine.start() == .receiveGreeting)
        #expect(machine.receive(Self.reply(220, "mx ESMTP")) == .send(.ehlo("checker.example")))
        #expect(machine.receive(Self.ehloWithSTARTTLS) == .send(.startTLS))
        #expect(machine.receive(Self.reply(220, "go ahead")) == .startTLS)
        #expect(machine.tlsEstablished() == .send(.ehlo("checker.example")))
        #expect(machine.receive(Self.reply(250, "mx", "PIPELINING")) == .send(.quit))
        #expect(machine.receive(Self.reply(221, "bye")) == .close)
        #expect(machine.failure == nil)
        #expect(machine.extensionsBeforeTLS?.supportsSTARTTLS == true)
        #expect(machine.extensionsAfterTLS?.supportsPipelining == true)
        #expect(machine.greeting?.code == 220)
    }

    @Test func probeWithoutSTARTTLSQuitsAfterEHLO() {
        var machine = SMTPClientStateMachine(mode: .probe, localHostName: "checker.example")
        _ = machine.start()
        _ = machine.receive(Self.reply(220, "mx"))
        #expect(machine.receive(Self.reply(250, "mx", "8BITMIME")) == .send(.quit))
        #expect(machine.failure == nil)
        #expect(machine.extensionsBeforeTLS?.supportsSTARTTLS == false)
    }

    @Test func refusedGreetingIsRecordedAndAnsweredWithQuit() {
        // RFC 5321 §3.1: after a 554 greeting the client should send QUIT.
        var machine = SMTPClientStateMachine(mode: .probe, localHostName: "checker.example")
        _ = machine.start()
        #expect(machine.receive(Self.reply(554, "No SMTP service here")) == .send(.quit))
        #expect(machine.greeting == nil)
        #expect(machine.failure?.code == .rejected)
        #expect(machine.failure?.step == .greeting)
        #expect(machine.failure?.reply?.code == 554)
    }

    @Test func refusedSTARTTLSIsRecorded() {
        var machine = SMTPClientStateMachine(mode: .probe, localHostName: "checker.example")
        _ = machine.start()
        _ = machine.receive(Self.reply(220, "mx"))
        _ = machine.receive(Self.ehloWithSTARTTLS)
        #expect(machine.receive(Self.reply(454, "4.7.0 TLS not available")) == .send(.quit))
        #expect(machine.failure?.step == .startTLS)
        #expect(machine.startTLSReply?.code == 454)
    }

    // MARK: - Submission

    @Test func submissionWithoutCredentialsSendsTheDotStuffedMessage() throws {
        var machine = try submission(body: ".leading dot\n")
        guard case .send(.mailFrom(let sender, let parameters)) = open(&machine) else {
            Issue.record("no MAIL FROM after EHLO")
            return
        }
        #expect(sender == (try address("alerts@mtasts.example")))
        #expect(
            machine.receive(Self.reply(250, "2.1.0 Ok")) == .send(.recipient(try address("admin@customer.example")))
        )
        #expect(machine.receive(Self.reply(250, "2.1.5 Ok")) == .send(.data))
        guard case .sendMessage(let bytes) = machine.receive(Self.reply(354, "go")) else {
            Issue.record("no message after 354")
            return
        }
        // RFC 1870: the declared size leaves out the stuffing dot and the final "." CRLF.
        #expect(parameters == ["SIZE=\(bytes.count - 1 - 3)"])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("\r\n\r\n..leading dot\r\n.\r\n"))
        #expect(machine.step == .message)
        #expect(machine.receive(Self.reply(250, "2.0.0 queued")) == .send(.quit))
        #expect(machine.isMessageAccepted)
        #expect(machine.receive(Self.reply(221, "bye")) == .close)
        #expect(machine.failure == nil)
        #expect(machine.transferEncoding == .sevenBit)
    }

    @Test func submissionRefusesARelayWithoutSTARTTLSBeforeSendingAnything() throws {
        var machine = try submission(credentials: SMTPCredentials(userName: "u", password: "p"))
        _ = machine.start()
        _ = machine.receive(Self.reply(220, "relay"))
        #expect(machine.receive(Self.reply(250, "relay", "AUTH PLAIN LOGIN", "8BITMIME")) == .send(.quit))
        #expect(machine.failure?.code == .startTLSUnavailable)
        #expect(machine.failure?.isTransient == false)
    }

    @Test func authPlainSendsTheInitialResponse() throws {
        var machine = try submission(credentials: SMTPCredentials(userName: "alerts", password: "s3cret"))
        // base64("\0alerts\0s3cret")
        #expect(open(&machine) == .send(.authenticate(mechanism: "PLAIN", initialResponse: "AGFsZXJ0cwBzM2NyZXQ=")))
        #expect(machine.step == .authentication)
        guard case .send(.mailFrom(_, _)) = machine.receive(Self.reply(235, "2.7.0 Authentication successful")) else {
            Issue.record("no MAIL FROM after 235")
            return
        }
    }

    @Test func authLoginAnswersBothChallenges() throws {
        var machine = try submission(credentials: SMTPCredentials(userName: "alerts", password: "s3cret"))
        let action = open(&machine, ehloUnderTLS: Self.reply(250, "relay", "AUTH LOGIN"))
        #expect(action == .send(.authenticate(mechanism: "LOGIN", initialResponse: nil)))
        #expect(machine.receive(Self.reply(334, "VXNlcm5hbWU6")) == .send(.authenticationResponse("YWxlcnRz")))
        #expect(machine.receive(Self.reply(334, "UGFzc3dvcmQ6")) == .send(.authenticationResponse("czNjcmV0")))
        guard case .send(.mailFrom(_, _)) = machine.receive(Self.reply(235, "ok")) else {
            Issue.record("no MAIL FROM after 235")
            return
        }
    }

    @Test func refusedCredentialsArePermanentAndEndTheSession() throws {
        var machine = try submission(credentials: SMTPCredentials(userName: "alerts", password: "wrong"))
        _ = open(&machine)
        #expect(machine.receive(Self.reply(535, "5.7.8 Authentication credentials invalid")) == .send(.quit))
        #expect(machine.failure?.step == .authentication)
        #expect(machine.failure?.isTransient == false)
    }

    @Test func anUnexpectedChallengeIsCancelled() throws {
        var machine = try submission(credentials: SMTPCredentials(userName: "alerts", password: "s3cret"))
        _ = open(&machine)
        #expect(machine.receive(Self.reply(334, "")) == .send(.authenticationResponse("*")))
        #expect(machine.receive(Self.reply(501, "5.7.0 cancelled")) == .send(.quit))
        #expect(machine.failure?.step == .authentication)
    }

    @Test func noUsableMechanismFailsWithoutSendingCredentials() throws {
        var machine = try submission(credentials: SMTPCredentials(userName: "alerts", password: "s3cret"))
        #expect(open(&machine, ehloUnderTLS: Self.reply(250, "relay", "AUTH CRAM-MD5 XOAUTH2")) == .send(.quit))
        #expect(machine.failure?.code == .authenticationUnavailable)
    }

    @Test func someRecipientsRefusedTheOthersGetTheMessage() throws {
        var machine = try submission(to: ["a@customer.example", "b@customer.example", "c@customer.example"])
        _ = open(&machine)
        _ = machine.receive(Self.reply(250, "Ok"))
        #expect(
            machine.receive(Self.reply(550, "5.1.1 unknown")) == .send(.recipient(try address("b@customer.example")))
        )
        #expect(machine.receive(Self.reply(250, "Ok")) == .send(.recipient(try address("c@customer.example"))))
        #expect(machine.receive(Self.reply(450, "4.2.1 busy")) == .send(.data))
        #expect(machine.acceptedRecipients == [try address("b@customer.example")])
        #expect(
            machine.rejectedRecipients.map(\.recipient) == [
                try address("a@customer.example"), try address("c@customer.example"),
            ]
        )
        #expect(machine.rejectedRecipients.map(\.isTransient) == [false, true])
    }

    @Test func everyRecipientRefusedReportsATransientRefusalIfThereIsOne() throws {
        var machine = try submission(to: ["a@customer.example", "b@customer.example"])
        _ = open(&machine)
        _ = machine.receive(Self.reply(250, "Ok"))
        _ = machine.receive(Self.reply(550, "5.1.1 unknown"))
        #expect(machine.receive(Self.reply(451, "4.3.0 try later")) == .send(.quit))
        #expect(machine.failure?.code == .rejected)
        #expect(machine.failure?.step == .recipient)
        #expect(machine.failure?.reply?.code == 451)
        #expect(machine.failure?.isTransient == true)
    }

    @Test func aRefusedMessageIsNotAccepted() throws {
        var machine = try submission()
        _ = open(&machine)
        _ = machine.receive(Self.reply(250, "Ok"))
        _ = machine.receive(Self.reply(250, "Ok"))
        _ = machine.receive(Self.reply(354, "go"))
        #expect(machine.receive(Self.reply(552, "5.3.4 too big")) == .send(.quit))
        #expect(!machine.isMessageAccepted)
        #expect(machine.failure?.step == .message)
        #expect(machine.failure?.isTransient == false)
    }

    @Test func aMessageOverTheAdvertisedSizeIsNotSent() throws {
        var machine = try submission(body: String(repeating: "x", count: 200) + "\n")
        #expect(open(&machine, ehloUnderTLS: Self.reply(250, "relay", "SIZE 100")) == .send(.quit))
        #expect(machine.failure?.code == .messageTooLarge)
    }

    @Test func eightBitBodiesDeclareBody8BitMIME() throws {
        var machine = try submission(body: "l\u{E4}uft ab\n")
        guard case .send(.mailFrom(_, let parameters)) = open(&machine) else {
            Issue.record("no MAIL FROM")
            return
        }
        #expect(parameters.first == "BODY=8BITMIME")
        #expect(machine.transferEncoding == .eightBit)
    }

    @Test func nonASCIIAddressesNeedSMTPUTF8() throws {
        var machine = try submission(to: ["j\u{FC}rgen@customer.example"])
        #expect(open(&machine) == .send(.quit))
        #expect(machine.failure?.code == .smtpUTF8Unavailable)

        var offered = try submission(to: ["j\u{FC}rgen@customer.example"])
        let ehlo = Self.reply(250, "relay", "SMTPUTF8")
        #expect(open(&offered, ehloUnderTLS: ehlo) == (try mailFrom(["SMTPUTF8"])))
    }

    @Test func implicitTLSSkipsSTARTTLS() throws {
        let message = try SMTPMessage(
            from: try SMTPMailbox(try address("alerts@mtasts.example")),
            to: [try SMTPMailbox(try address("admin@customer.example"))],
            subject: "Alert",
            body: "x",
            date: 0,
            messageID: "1@mtasts.example"
        )
        var machine = SMTPClientStateMachine(
            mode: .submission(SMTPSubmissionPlan(message: message, credentials: nil)),
            localHostName: "worker.mtasts.example",
            isTLSActive: true
        )
        _ = machine.start()
        _ = machine.receive(Self.reply(220, "relay"))
        #expect(machine.receive(Self.reply(250, "relay", "STARTTLS")) == (try mailFrom([])))
        #expect(machine.extensionsBeforeTLS == nil)
        #expect(machine.extensionsAfterTLS != nil)
    }
}

@Suite struct SMTPClientErrorTests {
    @Test func transientAndPermanentFailures() {
        func rejected(_ code: Int) -> SMTPClientError {
            SMTPClientError(.rejected, "", reply: SMTPReply(code: code, lines: []))
        }
        #expect(rejected(421).isTransient && rejected(450).isTransient && rejected(452).isTransient)
        #expect(!rejected(550).isTransient && !rejected(554).isTransient)
        for code: SMTPClientError.Code in [
            .timeout, .connectFailed, .connectionClosed, .connectionFailed, .resolutionFailed,
        ] {
            #expect(SMTPClientError(code, "").isTransient)
        }
        for code: SMTPClientError.Code in [.startTLSUnavailable, .tlsFailed, .authenticationUnavailable, .invalidURL] {
            #expect(!SMTPClientError(code, "").isTransient)
        }
    }
}

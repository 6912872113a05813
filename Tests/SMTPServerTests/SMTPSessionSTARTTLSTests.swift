import Testing

@testable import SMTPServer

/// STARTTLS (RFC 3207): the 220, the discarded plaintext, the reset, and no second STARTTLS.
@Suite struct SMTPSessionSTARTTLSTests {
    typealias Harness = SessionHarness

    @Test func startTLSAnswers220ThenAsksForTheHandshake() {
        var session = Harness(tls: true)
        session.greeted()
        let outcome = session.send("STARTTLS\r\n")
        #expect(outcome.lines == ["220 2.0.0 Ready to start TLS"])
        #expect(outcome.startedTLS)
        #expect(outcome.final == .awaitTLS)
        #expect(!session.machine.isAwaitingInput)
        #expect(session.run().final == .awaitTLS)
    }

    @Test func commandsPipelinedAfterSTARTTLSAreDiscarded() throws {
        var session = Harness(tls: true)
        session.start()
        // CVE-2011-0411: a man in the middle appends plaintext commands to the client's STARTTLS.
        let outcome = session.send(
            "EHLO c.test\r\nSTARTTLS\r\nMAIL FROM:<evil@attacker.test>\r\nRCPT TO:<r@mx.test>\r\n"
        )
        #expect(outcome.codes == [250, 220])
        #expect(outcome.final == .awaitTLS)
        // Bytes that arrive before the handshake completes are dropped too.
        session.machine.receive(Array("DATA\r\n".utf8), now: session.now)
        session.machine.tlsStarted(now: session.now)
        #expect(session.run().replies.isEmpty)
        #expect(session.machine.usesTLS)
        #expect(session.machine.transaction == nil)
        #expect(session.machine.heloName == nil)
        // Inside TLS the session starts over: nothing of the injected transaction survived.
        #expect(session.send("RCPT TO:<r@mx.test>\r\n").lines == ["503 5.5.1 Send EHLO/HELO first"])
        let ehlo = try #require(session.send("EHLO c.test\r\n").replies.first)
        #expect(!ehlo.lines.contains("STARTTLS"))
        #expect(session.send("STARTTLS\r\n").lines == ["503 5.5.1 TLS already active"])
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\n")
        #expect(session.send("x\r\n.\r\n").message?.usesTLS == true)
    }

    @Test func startTLSDuringATransactionDropsIt() {
        var session = Harness(tls: true)
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\n")
        session.send("STARTTLS\r\n")
        session.machine.tlsStarted(now: session.now)
        #expect(session.machine.transaction == nil)
    }

    @Test func startTLSTakesNoArgument() {
        var session = Harness(tls: true)
        session.greeted()
        #expect(session.send("STARTTLS now\r\n").lines == ["501 5.5.4 Syntax error (no parameters allowed)"])
        #expect(session.machine.isAwaitingInput)
    }

    @Test func theSessionDeadlineStillRunsDuringTheHandshake() {
        var session = Harness(tls: true)
        session.greeted()
        session.send("STARTTLS\r\n")
        #expect(session.machine.nextDeadline == Harness.at(600))
    }
}

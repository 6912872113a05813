import Foundation
import HTTPCore
import Testing

@testable import SMTPServer

/// Commands, their replies and their order (RFC 5321 §4.1, §4.3.2), with pipelining (RFC 2920).
@Suite struct SMTPSessionStateMachineTests {
    typealias Harness = SessionHarness

    // MARK: - Greeting, EHLO, HELO

    @Test func greetsThenWaitsForACommand() {
        var session = Harness()
        let outcome = session.start()
        #expect(outcome.lines == ["220 mx.test ESMTP"])
        #expect(outcome.final == .awaitInput)
        #expect(String(decoding: outcome.replies[0].encoded(), as: UTF8.self) == "220 mx.test ESMTP\r\n")
    }

    @Test func ehloListsTheExtensionsWithoutEnhancedCodes() {
        var session = Harness()
        session.start()
        let outcome = session.send("EHLO client.test\r\n")
        #expect(
            String(decoding: outcome.replies.first?.encoded() ?? [], as: UTF8.self)
                == "250-mx.test\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n"
        )
        #expect(session.machine.heloName == "client.test")
    }

    @Test func ehloOffersSTARTTLSWhenTLSIsConfigured() {
        var session = Harness(tls: true)
        session.start()
        let reply = session.send("ehlo client.test\r\n").replies.first
        #expect(reply?.lines.last == "STARTTLS")
        #expect(reply?.lines.contains("PIPELINING") == true)
    }

    @Test func heloAnswersWithTheHostName() {
        var session = Harness()
        session.start()
        #expect(session.send("HELO client.test\r\n").lines == ["250 mx.test"])
        #expect(session.send("MAIL FROM:<a@b.test>\r\n").lines == ["250 2.1.0 Sender OK"])
    }

    @Test func ehloAndHeloNeedOneArgument() {
        var session = Harness()
        session.start()
        #expect(session.send("EHLO\r\n").lines == ["501 5.5.4 Syntax: EHLO <hostname>"])
        #expect(session.send("HELO a b\r\n").codes == [501])
        #expect(session.send("EHLO [192.0.2.7]\r\n").codes == [250])
    }

    // MARK: - A whole transaction

    @Test func deliversAMessageAndAnswersWithTheReceiversID() throws {
        var session = Harness()
        session.greeted()
        #expect(
            session.send("MAIL FROM:<reporter@sender.test> SIZE=200 BODY=8BITMIME\r\n").lines == ["250 2.1.0 Sender OK"]
        )
        #expect(session.send("RCPT TO:<tlsrpt@mx.test>\r\n").lines == ["250 2.1.5 Recipient OK"])
        #expect(session.send("DATA\r\n").lines == ["354 End data with <CR><LF>.<CR><LF>"])
        let outcome = session.send("Subject: report\r\n\r\n..dot\r\nbody\r\n.\r\n")
        let message = try #require(outcome.message)
        #expect(message.reversePath == SMTPPath(localPart: "reporter", domain: "sender.test"))
        #expect(message.recipients == [SMTPPath(localPart: "tlsrpt", domain: "mx.test")])
        #expect(String(decoding: message.content, as: UTF8.self) == "Subject: report\r\n\r\n.dot\r\nbody\r\n")
        #expect(message.bodyType == .eightBitMIME)
        #expect(message.heloName == "client.test")
        #expect(message.clientAddress.description == "192.0.2.7")
        #expect(!message.usesTLS)
        #expect(message.receivedAt == Harness.receivedAt)
        #expect(session.run().final == .awaitDelivery)
        #expect(session.finishDelivery(.accepted(id: "R-42")).lines == ["250 2.0.0 OK: queued as R-42"])
        #expect(session.machine.transaction == nil)
        #expect(session.machine.statistics.messagesAccepted == 1)
        #expect(session.machine.statistics.recipientsAccepted == 1)
        // The next transaction starts without another EHLO.
        #expect(session.send("MAIL FROM:<>\r\n").codes == [250])
    }

    @Test func pipelinedCommandsAreAnsweredInOrderInOneBatch() throws {
        var session = Harness()
        session.start()
        let outcome = session.send(
            "EHLO c.test\r\nMAIL FROM:<a@c.test>\r\nRCPT TO:<x@mx.test>\r\nRCPT TO:<y@mx.test>\r\nDATA\r\n"
        )
        #expect(outcome.codes == [250, 250, 250, 250, 354])
        #expect(outcome.verified.map(\.mailbox) == ["x@mx.test", "y@mx.test"])
        #expect(outcome.final == .awaitInput)
        // The data can follow in the same read as the final dot and a pipelined QUIT after it.
        let delivery = session.send("Hi\r\n.\r\nQUIT\r\n")
        #expect(try #require(delivery.message).recipients.count == 2)
        // QUIT waits in the buffer until the verdict is answered.
        let after = session.finishDelivery(.accepted(id: "1"))
        #expect(after.lines == ["250 2.0.0 OK: queued as 1", "221 2.0.0 mx.test closing connection"])
        #expect(after.final == .close(.quit))
    }

    @Test func nullReversePathAndPostmasterAreAccepted() {
        var session = Harness()
        session.greeted()
        #expect(session.send("MAIL FROM:<>\r\n").codes == [250])
        let outcome = session.send("RCPT TO:<Postmaster>\r\n")
        #expect(outcome.codes == [250])
        #expect(outcome.verified.first?.isBarePostmaster == true)
    }

    @Test func toleratesASpaceAfterTheColonAndLowerCaseVerbs() {
        var session = Harness()
        session.greeted()
        #expect(session.send("mail from: <a@b.test>\r\n").codes == [250])
        #expect(session.send("rcpt To:<c@d.test>\r\n").codes == [250])
    }

    @Test func bareLineFeedEndsACommandLine() {
        var session = Harness()
        session.start()
        #expect(session.send("EHLO c.test\nNOOP\n").codes == [250, 250])
    }

    @Test func commandsSentBeforeTheGreetingAreAnsweredAfterIt() {
        var session = Harness()
        session.machine.receive(Array("EHLO early.test\r\n".utf8), now: Harness.accepted)
        #expect(session.run().codes == [220, 250])
    }

    // MARK: - Other commands

    @Test func rsetNoopVrfyHelpAndQuit() {
        var session = Harness()
        session.greeted()
        #expect(session.send("NOOP anything\r\n").lines == ["250 2.0.0 OK"])
        #expect(session.send("VRFY postmaster\r\n").lines.first?.hasPrefix("252 2.5.0") == true)
        #expect(session.send("HELP\r\n").lines.first?.hasPrefix("214 2.0.0") == true)
        session.send("MAIL FROM:<a@b.test>\r\n")
        #expect(session.send("RSET\r\n").lines == ["250 2.0.0 OK"])
        #expect(session.machine.transaction == nil)
        #expect(session.send("RCPT TO:<c@d.test>\r\n").lines == ["503 5.5.1 Need MAIL command"])
        let quit = session.send("QUIT\r\n")
        #expect(quit.lines == ["221 2.0.0 mx.test closing connection"])
        #expect(quit.final == .close(.quit))
        #expect(session.run().final == .close(.quit))
    }

    @Test func ehloResetsTheTransaction() {
        var session = Harness()
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\n")
        session.send("EHLO again.test\r\n")
        #expect(session.machine.transaction == nil)
        #expect(session.send("MAIL FROM:<a@b.test>\r\n").codes == [250])
    }

    // MARK: - Bad sequences, unknown commands, syntax

    @Test func badSequencesGet503() {
        var session = Harness()
        session.start()
        #expect(session.send("MAIL FROM:<a@b.test>\r\n").lines == ["503 5.5.1 Send EHLO/HELO first"])
        #expect(session.send("RCPT TO:<a@b.test>\r\n").lines == ["503 5.5.1 Send EHLO/HELO first"])
        #expect(session.send("DATA\r\n").lines == ["503 5.5.1 Send EHLO/HELO first"])
        session.send("EHLO c.test\r\n")
        #expect(session.send("RCPT TO:<a@b.test>\r\n").lines == ["503 5.5.1 Need MAIL command"])
        #expect(session.send("DATA\r\n").lines == ["503 5.5.1 Need MAIL command"])
        session.send("MAIL FROM:<a@b.test>\r\n")
        #expect(session.send("MAIL FROM:<a@b.test>\r\n").lines == ["503 5.5.1 Nested MAIL command"])
        #expect(session.send("DATA\r\n").lines == ["554 5.5.1 No valid recipients"])
        #expect(session.machine.statistics.commandErrors == 7)
    }

    @Test func unknownAndUnimplementedCommands() {
        var session = Harness()
        session.greeted()
        #expect(session.send("FOO bar\r\n").lines == ["500 5.5.2 Command unrecognized"])
        #expect(session.send("GET / HTTP/1.1\r\n").codes == [500])
        #expect(session.send("\r\n").codes == [500])
        #expect(session.send("EXPN staff\r\n").lines == ["502 5.5.1 Command not implemented"])
        #expect(session.send("AUTH PLAIN AAAA\r\n").codes == [502])
        #expect(session.send("STARTTLS\r\n").lines == ["502 5.5.1 Command not implemented"])
    }

    @Test func syntaxErrorsGet501And555() {
        var session = Harness(configuration: Harness.configuration(maximumErrors: 50))
        session.greeted()
        #expect(session.send("MAIL TO:<a@b.test>\r\n").lines == ["501 5.5.4 Syntax: MAIL FROM:<address>"])
        #expect(session.send("MAIL FROM:a@b.test\r\n").lines == ["501 5.1.7 Bad sender address syntax"])
        #expect(session.send("MAIL FROM:<a@@b.test>\r\n").codes == [501])
        #expect(session.send("MAIL FROM:<a@b.test> SIZE=abc\r\n").lines == ["501 5.5.4 Syntax: SIZE=<octets>"])
        #expect(session.send("MAIL FROM:<a@b.test> BODY=BINARYMIME\r\n").codes == [501])
        #expect(session.send("MAIL FROM:<a@b.test> SMTPUTF8\r\n").lines.first?.hasPrefix("555 5.5.4") == true)
        #expect(session.send("MAIL FROM:<a@b.test>\r\n").codes == [250])
        #expect(session.send("RCPT TO:<>\r\n").lines == ["501 5.1.3 Bad recipient address syntax"])
        #expect(session.send("RCPT TO:<x@y.test> NOTIFY=NEVER\r\n").codes == [555])
        #expect(session.send("RCPT TO:<ü@y.test>\r\n").codes == [501])
        #expect(session.send("DATA now\r\n").lines == ["501 5.5.4 Syntax error (no parameters allowed)"])
        #expect(session.send("VRFY\r\n").codes == [501])
    }

    @Test func declaredSizeOverTheLimitIsRefusedAtMail() {
        var session = Harness()
        session.greeted()
        #expect(session.send("MAIL FROM:<a@b.test> SIZE=1001\r\n").lines.first?.hasPrefix("552 5.3.4") == true)
        #expect(session.send("MAIL FROM:<a@b.test> SIZE=99999999999999999999\r\n").codes == [552])
        #expect(session.machine.transaction == nil)
        #expect(session.send("MAIL FROM:<a@b.test> SIZE=1000\r\n").codes == [250])
    }

    // MARK: - Verdicts

    @Test func receiverRefusalsAreSentAndCounted() {
        var session = Harness()
        session.verdict = { path in
            path.localPart == "unknown"
                ? .refuse(.unknownRecipient)
                : .refuse(SMTPServerReply(code: 250, enhancedCode: "2.0.0", text: "not a refusal"))
        }
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\n")
        #expect(session.send("RCPT TO:<unknown@mx.test>\r\n").lines == ["550 5.1.1 No such recipient"])
        #expect(session.send("RCPT TO:<odd@mx.test>\r\n").lines == ["451 4.3.0 Local error in processing"])
        #expect(session.machine.statistics.recipientsRefused == 2)
        #expect(session.send("DATA\r\n").codes == [554])
    }

    @Test func deliveryRefusalsAndAFullPool() {
        var session = Harness()
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\n")
        #expect(session.send("x\r\n.\r\n").message != nil)
        let refusal = SMTPServerReply(code: 554, enhancedCode: "5.6.0", text: "Not a report")
        #expect(session.finishDelivery(.refused(refusal)).lines == ["554 5.6.0 Not a report"])
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\n")
        #expect(session.send("x\r\n.\r\n").message != nil)
        session.machine.deliveryRefused(now: session.now)
        #expect(session.run().lines == ["451 4.3.2 Try again later"])
        #expect(session.machine.statistics.messagesRefused == 2)
        // A verdict for no delivery is ignored.
        #expect(session.finishDelivery(.accepted(id: "late")).replies.isEmpty)
    }

    @Test func clientCloseEndsTheSession() {
        var session = Harness()
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\npartial")
        session.machine.inputClosed()
        #expect(session.run().final == .close(.peerClosed))
    }
}

import Testing

@testable import SMTPServer

/// The caps on recipients, command lines, errors and idle commands (RFC 5321 §4.5.3.1).
@Suite struct SMTPSessionLimitTests {
    typealias Harness = SessionHarness

    @Test func recipientsBeyondTheLimitGet452AndTheSessionGoesOn() {
        var session = Harness()
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\n")
        var flood = ""
        for index in 0..<1000 { flood += "RCPT TO:<r\(index)@mx.test>\r\n" }
        let outcome = session.send(flood)
        #expect(outcome.codes.count == 1000)
        #expect(outcome.codes.prefix(10).allSatisfy { $0 == 250 })
        #expect(outcome.lines.dropFirst(10).allSatisfy { $0 == "452 4.5.3 Too many recipients" })
        // Only the first ten reached the receiver; 452s are not errors.
        #expect(outcome.verified.count == 10)
        #expect(outcome.final == .awaitInput)
        #expect(session.machine.statistics.recipientsRefused == 990)
        #expect(session.machine.statistics.commandErrors == 0)
        #expect(session.send("DATA\r\n").codes == [354])
        #expect(session.send("x\r\n.\r\n").message?.recipients.count == 10)
    }

    @Test func aCommandLineOverFiveHundredTwelveOctetsGets500() {
        var session = Harness()
        session.greeted()
        // 510 octets and CRLF is the limit exactly.
        let longest = "NOOP " + String(repeating: "a", count: 505) + "\r\n"
        #expect(longest.utf8.count == 512)
        #expect(session.send(longest).codes == [250])
        let tooLong = "NOOP " + String(repeating: "a", count: 506) + "\r\n"
        #expect(session.send(tooLong).lines == ["500 5.5.2 Line too long"])
        #expect(session.send("NOOP\r\n").codes == [250])
    }

    @Test func aHundredKibibyteLineGetsOne500AsSoonAsItIsTooLongAndIsDropped() {
        var session = Harness()
        session.greeted()
        let first = session.send(String(repeating: "A", count: 1024))
        #expect(first.lines == ["500 5.5.2 Line too long"])
        for _ in 0..<99 {
            #expect(session.send(String(repeating: "A", count: 1024)).replies.isEmpty)
        }
        // The rest of the long line ends with its CRLF; the next command is read as usual.
        #expect(session.send("AAAA\r\nNOOP\r\n").codes == [250])
        #expect(session.machine.statistics.commandErrors == 1)
    }

    @Test func theTenthErrorEndsTheSessionWith421() {
        var session = Harness()
        session.greeted()
        let nine = session.send(String(repeating: "BOGUS\r\n", count: 9))
        #expect(nine.codes == Array(repeating: 500, count: 9))
        #expect(nine.final == .awaitInput)
        let tenth = session.send("BOGUS\r\nNOOP\r\n")
        #expect(
            tenth.lines == ["500 5.5.2 Command unrecognized", "421 4.7.0 mx.test Too many errors, closing connection"]
        )
        #expect(tenth.final == .close(.tooManyErrors))
    }

    @Test func tooManyCommandsWithoutATransactionEndTheSession() {
        var session = Harness(configuration: Harness.configuration(maximumCommandsWithoutTransaction: 5))
        session.start()
        // EHLO counts as one of them.
        let outcome = session.send("EHLO c.test\r\nNOOP\r\nRSET\r\nVRFY x\r\nHELP\r\nNOOP\r\nNOOP\r\n")
        #expect(outcome.codes == [250, 250, 250, 252, 214, 421])
        #expect(outcome.lines.last == "421 4.7.0 mx.test Too many commands, closing connection")
        #expect(outcome.final == .close(.tooManyCommands))
    }

    @Test func aDeliveredMessageResetsTheIdleCommandCount() {
        var session = Harness(configuration: Harness.configuration(maximumCommandsWithoutTransaction: 3))
        session.start()
        session.send("EHLO c.test\r\nNOOP\r\nNOOP\r\n")
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\n")
        session.send("x\r\n.\r\n")
        session.finishDelivery(.accepted(id: "1"))
        #expect(session.send("RSET\r\nNOOP\r\nNOOP\r\n").codes == [250, 250, 250])
        #expect(session.send("NOOP\r\n").final == .close(.tooManyCommands))
    }
}

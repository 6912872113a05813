import Testing

@testable import SMTPServer

/// The message data after 354 (RFC 5321 §4.1.1.4, §4.5.2, §4.5.3.1): framing, unstuffing, size and line limits.
@Suite struct SMTPSessionDataTests {
    typealias Harness = SessionHarness

    /// A session that has just answered DATA with 354.
    func inData(maximumMessageBytes: Int = 1000) -> Harness {
        var session = Harness(configuration: Harness.configuration(maximumMessageBytes: maximumMessageBytes))
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\n")
        return session
    }

    func content(_ outcome: Harness.Outcome) -> String? {
        outcome.message.map { String(decoding: $0.content, as: UTF8.self) }
    }

    @Test func bareLineFeedLinesAreStoredWithCRLFAndLFDotLFEndsTheData() {
        var session = inData()
        let outcome = session.send("one\ntwo\r\n\nthree\r\r\n.\n")
        #expect(content(outcome) == "one\r\ntwo\r\n\r\nthree\r\r\n")
    }

    @Test func emptyMessage() {
        var session = inData()
        #expect(content(session.send(".\r\n")) == "")
    }

    @Test func dotUnstuffingRemovesOneLeadingDot() {
        var session = inData()
        let outcome = session.send("..\r\n...x\r\n .y\r\n.\r\n")
        #expect(content(outcome) == ".\r\n..x\r\n .y\r\n")
    }

    @Test func dataArrivingByteByByteIsReassembled() {
        var session = inData()
        var last = Harness.Outcome()
        for byte in Array("Subject: x\r\n\r\nbody\r\n.\r\n".utf8) {
            last = session.send([byte])
            if last.message != nil { break }
        }
        #expect(content(last) == "Subject: x\r\n\r\nbody\r\n")
    }

    @Test func aDotInsideALineDoesNotEndTheData() {
        var session = inData()
        #expect(session.send("a.\r\n.b\r\n").final == .awaitInput)
        #expect(content(session.send(".\r\n")) == "a.\r\nb\r\n")
    }

    @Test func messageOverTheLimitIsReadToTheEndThenRefused() {
        var session = inData(maximumMessageBytes: 100)
        let chunk = String(repeating: "x", count: 60) + "\r\n"
        #expect(session.send(chunk + chunk + chunk).final == .awaitInput)
        let outcome = session.send(".\r\n")
        #expect(outcome.lines == ["552 5.3.4 Message size exceeds fixed maximum message size"])
        #expect(outcome.message == nil)
        #expect(session.machine.statistics.messagesRefused == 1)
        // The session goes on; the transaction is gone.
        #expect(session.send("RCPT TO:<r@mx.test>\r\n").codes == [503])
        #expect(session.send("MAIL FROM:<a@b.test>\r\n").codes == [250])
    }

    @Test func exactlyTheLimitIsAccepted() {
        var session = inData(maximumMessageBytes: 10)
        #expect(content(session.send("12345678\r\n.\r\n")) == "12345678\r\n")
    }

    @Test func aLineOverOneThousandOctetsRefusesTheMessageAtItsEnd() {
        var session = inData(maximumMessageBytes: 10_000)
        #expect(session.send(String(repeating: "y", count: 998) + "\r\n").final == .awaitInput)
        // 999 octets and CRLF: one too many.
        #expect(session.send(String(repeating: "z", count: 999) + "\r\n").final == .awaitInput)
        let outcome = session.send("after\r\n.\r\n")
        #expect(outcome.lines == ["500 5.5.2 Line too long"])
        #expect(outcome.message == nil)
        #expect(session.send("NOOP\r\n").codes == [250])
    }

    @Test func anEndlessLineIsDroppedAsItArrivesAndTheSessionStaysUp() {
        var session = inData(maximumMessageBytes: 1_000_000)
        for _ in 0..<50 {
            #expect(session.send(String(repeating: "w", count: 4096)).final == .awaitInput)
        }
        let outcome = session.send("\r\n.\r\n")
        #expect(outcome.lines == ["500 5.5.2 Line too long"])
    }

    @Test func dataFarPastTheLimitIsCutWithA552AndTheConnectionClosed() {
        var session = inData(maximumMessageBytes: 1000)
        let line = String(repeating: "q", count: 98) + "\r\n"
        var final = Harness.Outcome()
        for _ in 0..<2000 {
            final = session.send(line)
            if final.final != .awaitInput { break }
        }
        #expect(final.lines == ["552 5.3.4 Message size exceeds fixed maximum message size, closing connection"])
        #expect(final.final == .close(.messageTooLarge))
        #expect(session.machine.statistics.messagesRefused == 1)
    }
}

import Testing

@testable import SMTPServer

/// The command, data and session deadlines, on the injected clock.
@Suite struct SMTPSessionTimeoutTests {
    typealias Harness = SessionHarness

    static let timeoutLine = "421 4.4.2 mx.test Timeout, closing connection"

    @Test func anIdleClientGets421AfterTheCommandTimeout() {
        var session = Harness()
        session.start()
        #expect(session.machine.nextDeadline == Harness.at(60))
        #expect(session.fireTimer(at: Harness.at(59)).replies.isEmpty)
        let outcome = session.fireTimer(at: Harness.at(60))
        #expect(outcome.lines == [Self.timeoutLine])
        #expect(outcome.final == .close(.timedOut))
        #expect(session.machine.nextDeadline == nil)
    }

    @Test func trickledBytesDoNotExtendTheCommandTimeoutButACompleteCommandDoes() {
        var session = Harness()
        session.start()
        session.now = Harness.at(30)
        session.send("EHLO c.test\r\n")
        #expect(session.machine.nextDeadline == Harness.at(90))
        for second in stride(from: UInt64(31), to: 90, by: 5) {
            session.now = Harness.at(second)
            session.send("N")
        }
        #expect(session.machine.nextDeadline == Harness.at(90))
        #expect(session.fireTimer(at: Harness.at(90)).final == .close(.timedOut))
    }

    @Test func theSessionDeadlineHoldsWhateverTheClientDoes() {
        var session = Harness()
        session.start()
        session.send("EHLO c.test\r\nMAIL FROM:<a@b.test>\r\n")
        // A RCPT every 50 s keeps the command deadline moving, but not the session's (600 s).
        var second: UInt64 = 0
        while second < 590 {
            second += 50
            session.now = Harness.at(second)
            #expect(session.send("RCPT TO:<r@mx.test>\r\n").final == .awaitInput)
        }
        #expect(session.machine.nextDeadline == Harness.at(600))
        #expect(session.fireTimer(at: Harness.at(600)).lines == [Self.timeoutLine])
    }

    @Test func dataThatStopsArrivingTimesOut() {
        var session = Harness(configuration: Harness.configuration(minimumDataRate: 0))
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\n")
        session.now = Harness.at(5)
        session.send("some\r\n")
        // 60 s after the last bytes.
        #expect(session.machine.nextDeadline == Harness.at(65))
        #expect(session.fireTimer(at: Harness.at(64)).final == .awaitInput)
        let outcome = session.fireTimer(at: Harness.at(65))
        #expect(outcome.lines == [Self.timeoutLine])
        #expect(outcome.final == .close(.timedOut))
    }

    @Test func theRateDeadlineStartsAfterTheGracePeriod() {
        var session = Harness()
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\n")
        session.send("some\r\n")
        // 10 s of grace plus 6 octets at 1000 octets/s.
        #expect(session.machine.nextDeadline == Harness.at(10) + 6_000_000)
    }

    @Test func slowDataIsCutByTheMinimumRateAfterTheGracePeriod() {
        var session = Harness(
            configuration: Harness.configuration(maximumMessageBytes: 1_000_000, minimumDataRate: 100)
        )
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\n")
        // 10 s of grace, then a second per 100 octets: 50 octets a second falls behind.
        let line = String(repeating: "s", count: 48) + "\r\n"
        var second: UInt64 = 0
        var outcome = Harness.Outcome()
        while outcome.final == .awaitInput, second < 100 {
            second += 1
            session.now = Harness.at(second)
            session.send(line)
            if let deadline = session.machine.nextDeadline, deadline <= session.now {
                outcome = session.fireTimer(at: session.now)
            }
        }
        #expect(outcome.lines == [Self.timeoutLine])
        #expect(outcome.final == .close(.timedOut))
        // 10 s grace plus 50 octets/s against 100/s: cut at 20 s.
        #expect(second == 20)
    }

    @Test func fastDataIsNotCut() {
        var session = Harness(
            configuration: Harness.configuration(maximumMessageBytes: 1_000_000, minimumDataRate: 100)
        )
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\n")
        let line = String(repeating: "f", count: 198) + "\r\n"
        for second in 1...40 {
            session.now = Harness.at(UInt64(second))
            session.send(line)
            #expect((session.machine.nextDeadline ?? 0) > session.now)
        }
        #expect(session.send(".\r\n").message != nil)
    }

    @Test func aDeliveryIsOnlyBoundByTheSessionDeadline() {
        var session = Harness()
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\nx\r\n.\r\n")
        #expect(session.machine.nextDeadline == Harness.at(600))
        #expect(session.fireTimer(at: Harness.at(300)).final == .awaitDelivery)
        let late = session.fireTimer(at: Harness.at(600))
        #expect(late.lines == [Self.timeoutLine])
        // The verdict that comes after is dropped.
        #expect(session.finishDelivery(.accepted(id: "1")).replies.isEmpty)
    }

    @Test func shutdownEndsAnIdleSessionAtOnce() {
        var session = Harness()
        session.greeted()
        session.machine.shutdownRequested()
        let outcome = session.run()
        #expect(outcome.lines == ["421 4.3.2 mx.test Service shutting down"])
        #expect(outcome.final == .close(.shuttingDown))
    }

    @Test func shutdownLetsTheMessageUnderWayFinish() {
        var session = Harness()
        session.greeted()
        session.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\npart\r\n")
        session.machine.shutdownRequested()
        #expect(session.run().final == .awaitInput)
        #expect(session.send(".\r\n").message != nil)
        let outcome = session.finishDelivery(.accepted(id: "7"))
        #expect(outcome.lines == ["250 2.0.0 OK: queued as 7", "421 4.3.2 mx.test Service shutting down"])
        #expect(outcome.final == .close(.shuttingDown))
    }
}

import Foundation
import SystemIO
import TLS
import Testing

@testable import SMTPServer

/// The transport side of a connection: writes with backpressure, reads only when the session waits, deliveries,
/// STARTTLS and close_notify, the interest set and the timer; on a fake clock.
@Suite struct SMTPConnectionStateMachineTests {
    typealias Machine = SMTPConnectionStateMachine
    typealias Harness = SessionHarness

    static func at(_ seconds: UInt64) -> UInt64 { Harness.at(seconds) }

    func machine(tls: Bool = false, configuration: SMTPSessionConfiguration = Harness.configuration()) -> Machine {
        Machine(
            session: Harness(configuration: configuration, tls: tls).machine,
            handshakeTimeout: .seconds(10),
            sendTimeout: .seconds(30)
        )
    }

    /// The pending output as text.
    func pending(_ machine: Machine) -> String {
        String(decoding: machine.pendingOutput, as: UTF8.self)
    }

    /// Writes everything pending at once.
    func flush(_ machine: inout Machine, now: UInt64 = at(0)) -> (text: String, next: Machine.Action) {
        let text = pending(machine)
        return (text, machine.writeResult(.wrote(machine.pendingOutput.count), now: now))
    }

    /// Feeds `text` as one read.
    func receive(
        _ text: String,
        into machine: inout Machine,
        isDrained: Bool = true,
        now: UInt64 = at(0)
    ) -> Machine.Action {
        let bytes = Array(text.utf8)
        return machine.readResult(.data(count: bytes.count, isDrained: isDrained), buffer: bytes, now: now)
    }

    /// A connection past its greeting and EHLO, waiting for input.
    func greeted(tls: Bool = false) -> Machine {
        var machine = machine(tls: tls)
        _ = machine.start(now: Self.at(0))
        _ = flush(&machine)
        _ = receive("EHLO c.test\r\n", into: &machine)
        _ = flush(&machine)
        return machine
    }

    // MARK: - Greeting, reads and writes

    @Test func greetingIsWrittenThenTheConnectionWaitsForACommand() {
        var machine = machine()
        #expect(Machine.initialInterest == .readable)
        #expect(machine.start(now: Self.at(0)) == .write)
        let (text, next) = flush(&machine)
        #expect(text == "220 mx.test ESMTP\r\n")
        #expect(next == .wait(interest: nil, timer: Self.at(60)))
        #expect(machine.transportReady(now: Self.at(1)) == .read)
        #expect(
            machine.readResult(.wouldBlock(wantsWrite: false), buffer: [], now: Self.at(1))
                == .wait(interest: nil, timer: nil)
        )
    }

    @Test func aReplyIsWrittenAfterTheCommandsOfARead() {
        var machine = greeted()
        #expect(receive("NOOP\r\nNOOP\r\n", into: &machine) == .write)
        #expect(pending(machine) == "250 2.0.0 OK\r\n250 2.0.0 OK\r\n")
        #expect(flush(&machine).next == .wait(interest: nil, timer: nil))
    }

    @Test func aReadThatDidNotDrainTheTransportIsFollowedByAnotherRead() {
        var machine = greeted()
        #expect(receive("NOO", into: &machine, isDrained: false) == .read)
        #expect(receive("P\r\n", into: &machine, isDrained: false) == .write)
        #expect(flush(&machine).next == .read)
    }

    @Test func aBlockedWriteStopsReadingAndTimesOut() {
        var machine = greeted()
        _ = receive("NOOP\r\n", into: &machine, now: Self.at(1))
        #expect(machine.writeResult(.wrote(3), now: Self.at(1)) == .write)
        #expect(
            machine.writeResult(.wouldBlock(wantsRead: false), now: Self.at(1))
                == .wait(interest: .writable, timer: Self.at(31))
        )
        // Nothing is read while replies wait, whatever the readiness.
        #expect(machine.transportReady(now: Self.at(2)) == .write)
        #expect(
            machine.writeResult(.wouldBlock(wantsRead: true), now: Self.at(2)) == .wait(interest: .readable, timer: nil)
        )
        #expect(machine.timerFired(now: Self.at(31)) == .close(.sendTimedOut))
    }

    @Test func progressOnABlockedWriteMovesTheSendDeadline() {
        var machine = greeted()
        _ = receive("NOOP\r\n", into: &machine, now: Self.at(1))
        _ = machine.writeResult(.wrote(1), now: Self.at(20))
        #expect(
            machine.writeResult(.wouldBlock(wantsRead: false), now: Self.at(20))
                == .wait(interest: .writable, timer: Self.at(50))
        )
        // The old deadline passes without closing; the write is tried again and the timer re-armed.
        #expect(machine.timerFired(now: Self.at(31)) == .write)
        #expect(
            machine.writeResult(.wouldBlock(wantsRead: false), now: Self.at(31))
                == .wait(interest: nil, timer: Self.at(50))
        )
    }

    @Test func replyBytesPastTheThresholdAreWrittenBeforeTheRestIsAnswered() {
        var machine = greeted()
        var flood = "MAIL FROM:<a@b.test>\r\n"
        for index in 0..<1000 { flood += "RCPT TO:<r\(index)@mx.test>\r\n" }
        var action = receive(flood, into: &machine)
        var written = ""
        var writes = 0
        while true {
            switch action {
            case .verifyRecipient:
                action = machine.recipientVerdict(.accept, now: Self.at(0))
            case .write:
                #expect(machine.pendingOutput.count < Machine.flushThreshold + 100)
                writes += 1
                let (text, next) = flush(&machine)
                written += text
                action = next
            default:
                #expect(action == .wait(interest: nil, timer: nil))
                #expect(writes > 1)
                #expect(written.components(separatedBy: "\r\n").filter { $0.hasPrefix("452 4.5.3") }.count == 990)
                return
            }
        }
    }

    @Test func theClientsCloseEndsTheConnection() {
        var machine = greeted()
        #expect(machine.readResult(.endOfStream, buffer: [], now: Self.at(1)) == .close(.session(.peerClosed)))
    }

    @Test func aFailedReadOrWriteClosesAtOnce() {
        var reading = greeted()
        #expect(reading.readResult(.failed, buffer: [], now: Self.at(1)) == .close(.transportFailed))
        var writing = greeted()
        _ = receive("NOOP\r\n", into: &writing)
        #expect(writing.writeResult(.failed, now: Self.at(1)) == .close(.transportFailed))
    }

    @Test func quitWritesTheReplyThenCloses() {
        var machine = greeted()
        #expect(receive("QUIT\r\nNOOP\r\n", into: &machine) == .write)
        let (text, next) = flush(&machine)
        #expect(text == "221 2.0.0 mx.test closing connection\r\n")
        #expect(next == .close(.session(.quit)))
    }

    @Test func anIdleSessionTimesOutWith421() {
        var machine = greeted()
        #expect(machine.timerFired(now: Self.at(60)) == .write)
        let (text, next) = flush(&machine, now: Self.at(60))
        #expect(text == "421 4.4.2 mx.test Timeout, closing connection\r\n")
        #expect(next == .close(.session(.timedOut)))
    }

    // MARK: - Delivery

    /// A connection whose message has just been handed over.
    func delivering() -> Machine {
        var machine = greeted()
        let action = receive("MAIL FROM:<a@b.test>\r\nRCPT TO:<r@mx.test>\r\nDATA\r\nhello\r\n.\r\n", into: &machine)
        #expect(action == .verifyRecipient(SMTPPath(localPart: "r", domain: "mx.test"), sessionInfo()))
        guard case .deliver(let message) = machine.recipientVerdict(.accept, now: Self.at(0)) else {
            Issue.record("no delivery")
            return machine
        }
        #expect(message.content == Array("hello\r\n".utf8))
        return machine
    }

    func sessionInfo() -> SMTPSessionInfo {
        SMTPSessionInfo(
            clientAddress: Harness.client,
            heloName: "c.test",
            usesTLS: false,
            reversePath: SMTPPath(localPart: "a", domain: "b.test"),
            acceptedRecipients: []
        )
    }

    @Test func nothingIsReadWhileTheReceiverWorks() {
        var machine = delivering()
        #expect(machine.deliverySubmitted(now: Self.at(0)) == .write)
        let (text, next) = flush(&machine)
        #expect(text == "250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n354 End data with <CR><LF>.<CR><LF>\r\n")
        #expect(next == .wait(interest: [], timer: nil))
        #expect(machine.deliveryFinished(.accepted(id: "9"), now: Self.at(1)) == .write)
        #expect(flush(&machine).text == "250 2.0.0 OK: queued as 9\r\n")
    }

    @Test func aHangUpWhileTheReceiverWorksCloses() {
        var machine = delivering()
        _ = machine.deliverySubmitted(now: Self.at(0))
        _ = flush(&machine)
        #expect(machine.transportHungUp(now: Self.at(1)) == .close(.transportFailed))
        // The verdict that comes later is dropped.
        #expect(machine.deliveryFinished(.accepted(id: "9"), now: Self.at(2)) == .wait(interest: nil, timer: nil))
    }

    @Test func aFullPoolRefusesTheMessageWith451() {
        var machine = delivering()
        #expect(machine.deliveryRefused(now: Self.at(0)) == .write)
        #expect(pending(machine).hasSuffix("451 4.3.2 Try again later\r\n"))
    }

    // MARK: - STARTTLS

    @Test func startTLSWritesThe220ThenHandshakesAndStartsOver() {
        var machine = greeted(tls: true)
        #expect(receive("STARTTLS\r\nMAIL FROM:<evil@x.test>\r\n", into: &machine, now: Self.at(1)) == .write)
        let (text, next) = flush(&machine, now: Self.at(1))
        #expect(text == "220 2.0.0 Ready to start TLS\r\n")
        #expect(next == .startTLS)
        #expect(machine.tlsStartResult(succeeded: true, now: Self.at(1)) == .handshake)
        #expect(
            machine.handshakeResult(.incomplete(.write), now: Self.at(1))
                == .wait(interest: .writable, timer: Self.at(11))
        )
        #expect(machine.transportReady(now: Self.at(2)) == .handshake)
        #expect(machine.handshakeResult(.incomplete(.read), now: Self.at(2)) == .wait(interest: .readable, timer: nil))
        // The EHLO may already be inside OpenSSL: read at once.
        #expect(machine.handshakeResult(.complete(()), now: Self.at(3)) == .read)
        #expect(machine.usesTLS)
        // The injected MAIL did not survive.
        #expect(receive("RCPT TO:<r@mx.test>\r\n", into: &machine, now: Self.at(3)) == .write)
        #expect(pending(machine) == "503 5.5.1 Send EHLO/HELO first\r\n")
        _ = flush(&machine, now: Self.at(3))
        #expect(receive("QUIT\r\n", into: &machine, now: Self.at(4)) == .write)
        #expect(flush(&machine, now: Self.at(4)).next == .sendCloseNotify)
        #expect(machine.closeNotifyResult(.complete(())) == .close(.session(.quit)))
    }

    @Test func aSlowHandshakeIsCut() {
        var machine = greeted(tls: true)
        _ = receive("STARTTLS\r\n", into: &machine, now: Self.at(1))
        _ = flush(&machine, now: Self.at(1))
        _ = machine.tlsStartResult(succeeded: true, now: Self.at(1))
        #expect(
            machine.handshakeResult(.incomplete(.read), now: Self.at(1)) == .wait(interest: nil, timer: Self.at(11))
        )
        #expect(machine.timerFired(now: Self.at(11)) == .close(.handshakeFailed(.handshakeTimedOut)))
    }

    @Test func aFailedHandshakeOrTLSSetUpCloses() {
        var failing = greeted(tls: true)
        _ = receive("STARTTLS\r\n", into: &failing)
        _ = flush(&failing)
        _ = failing.tlsStartResult(succeeded: true, now: Self.at(0))
        #expect(
            failing.handshakeResult(.failed(.handshakeFailed), now: Self.at(0))
                == .close(.handshakeFailed(.handshakeFailed))
        )
        var unavailable = greeted(tls: true)
        _ = receive("STARTTLS\r\n", into: &unavailable)
        _ = flush(&unavailable)
        #expect(
            unavailable.tlsStartResult(succeeded: false, now: Self.at(0)) == .close(.handshakeFailed(.handshakeFailed))
        )
    }

    // MARK: - Shutdown

    @Test func shutdownEndsAnIdleSessionWith421AndAbortCloses() {
        var idle = greeted()
        #expect(idle.shutdownRequested(now: Self.at(1)) == .write)
        let (text, next) = flush(&idle)
        #expect(text == "421 4.3.2 mx.test Service shutting down\r\n")
        #expect(next == .close(.session(.shuttingDown)))
        var busy = delivering()
        _ = busy.deliverySubmitted(now: Self.at(0))
        #expect(busy.shutdownRequested(now: Self.at(1)) == .wait(interest: nil, timer: nil))
        #expect(busy.abort() == .close(.aborted))
        #expect(busy.abort() == .wait(interest: nil, timer: nil))
    }
}

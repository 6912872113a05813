import SystemIO
import Testing

@testable import DNSServer

/// The DNS-over-TCP connection machine with a fake clock: framing, order, the three deadlines, back-pressure,
/// end of stream and shutdown (RFC 7766).
@Suite struct DNSTCPConnectionStateMachineTests {
    private typealias Machine = DNSTCPConnectionStateMachine
    private static let second: UInt64 = 1_000_000_000
    private static let start: UInt64 = 100 * second
    private static let limits = DNSTCPConnectionLimits(
        idleTimeout: .seconds(10),
        messageTimeout: .seconds(3),
        writeTimeout: .seconds(5),
        maximumMessageSize: 512,
        maximumPendingOutput: 100
    )

    /// A 12-byte "query" whose first byte tells messages apart, with its length prefix.
    private func framed(_ tag: UInt8, size: Int = 12) -> [UInt8] {
        [UInt8(size >> 8), UInt8(size & 0xFF), tag] + [UInt8](repeating: 0, count: size - 1)
    }

    private func message(_ tag: UInt8, size: Int = 12) -> [UInt8] {
        Array(framed(tag, size: size).dropFirst(2))
    }

    private func started(at now: UInt64 = start) -> Machine {
        var machine = Machine(limits: Self.limits, now: now)
        _ = machine.start(now: now)
        return machine
    }

    /// Delivers `bytes` as one read.
    private func deliver(_ bytes: [UInt8], to machine: inout Machine, at now: UInt64 = start) -> Machine.Action {
        #expect(machine.readable(now: now) == .read)
        return machine.readResult(.data(count: bytes.count), buffer: bytes + [0xEE, 0xEE], now: now)
    }

    @Test func startsWaitingForAQueryWithTheIdleDeadline() {
        var machine = Machine(limits: Self.limits, now: Self.start)
        #expect(machine.start(now: Self.start) == .wait(interest: .readable, deadline: Self.start + 10 * Self.second))
    }

    @Test func oneQueryIsAnsweredWrittenAndTheIdleTimerRestarts() {
        var machine = started()
        #expect(deliver(framed(1), to: &machine) == .answer(message(1)))
        #expect(machine.responseQueued(byteCount: 40, now: Self.start) == .write)
        let later = Self.start + 2 * Self.second
        #expect(
            machine.writeResult(.wrote(40), now: later)
                == .wait(interest: .readable, deadline: later + 10 * Self.second)
        )
    }

    @Test func pipelinedQueriesAreAnsweredInOrderBeforeWriting() {
        var machine = started()
        #expect(deliver(framed(1) + framed(2) + framed(3), to: &machine) == .answer(message(1)))
        #expect(machine.responseQueued(byteCount: 20, now: Self.start) == .answer(message(2)))
        #expect(machine.responseQueued(byteCount: 20, now: Self.start) == .answer(message(3)))
        #expect(machine.responseQueued(byteCount: 20, now: Self.start) == .write)
        #expect(machine.writeResult(.wrote(25), now: Self.start) == .write)
        #expect(
            machine.writeResult(.wrote(35), now: Self.start)
                == .wait(interest: .readable, deadline: Self.start + 10 * Self.second)
        )
    }

    @Test func aMessageSplitAcrossReadsWaitsWithTheMessageDeadline() {
        var machine = started()
        let bytes = framed(7, size: 30)
        #expect(
            deliver(Array(bytes[0..<1]), to: &machine)
                == .wait(interest: .readable, deadline: Self.start + 3 * Self.second)
        )
        let later = Self.start + Self.second
        #expect(
            deliver(Array(bytes[1..<20]), to: &machine, at: later)
                == .wait(interest: .readable, deadline: Self.start + 3 * Self.second)
        )
        #expect(deliver(Array(bytes[20...]), to: &machine, at: later) == .answer(message(7, size: 30)))
    }

    @Test func aSlowlorisClientIsClosedAtTheMessageDeadline() {
        var machine = started()
        let bytes = framed(7, size: 200)
        // One byte a second: each keeps the connection busy, none extends the whole-message deadline.
        for offset in 0..<3 {
            let now = Self.start + UInt64(offset) * Self.second
            _ = deliver([bytes[offset]], to: &machine, at: now)
        }
        #expect(machine.timerFired(now: Self.start + 3 * Self.second) == .close(.messageTimeout))
    }

    @Test func anIdleConnectionIsClosedAtTheIdleDeadlineNotBefore() {
        var machine = started()
        let early = Self.start + 4 * Self.second
        #expect(machine.timerFired(now: early) == .wait(interest: .readable, deadline: Self.start + 10 * Self.second))
        #expect(machine.timerFired(now: Self.start + 10 * Self.second) == .close(.idleTimeout))
    }

    @Test func leftoverBytesAfterAMessageStartTheirOwnDeadline() {
        var machine = started()
        let later = Self.start + 2 * Self.second
        #expect(deliver(framed(1) + [0x00], to: &machine, at: later) == .answer(message(1)))
        #expect(machine.responseQueued(byteCount: 10, now: later) == .write)
        #expect(
            machine.writeResult(.wrote(10), now: later) == .wait(interest: .readable, deadline: later + 3 * Self.second)
        )
    }

    @Test func anOversizedLengthClosesBeforeItsBytesArrive() {
        var machine = started()
        #expect(deliver([0x02, 0x01], to: &machine) == .close(.oversizedMessage))  // 513 > 512
        #expect(machine.readable(now: Self.start) == .close(.oversizedMessage))
    }

    @Test func endOfStreamStillGetsItsAnswers() {
        var machine = started()
        #expect(deliver(framed(1) + framed(2), to: &machine) == .answer(message(1)))
        #expect(machine.responseQueued(byteCount: 20, now: Self.start) == .answer(message(2)))
        #expect(machine.responseQueued(byteCount: 20, now: Self.start) == .write)
        #expect(
            machine.writeResult(.wouldBlock, now: Self.start)
                == .wait(interest: [.readable, .writable], deadline: Self.start + 5 * Self.second)
        )
        #expect(machine.readable(now: Self.start) == .read)
        #expect(
            machine.readResult(.endOfStream, buffer: [], now: Self.start)
                == .wait(interest: .writable, deadline: Self.start + 5 * Self.second)
        )
        #expect(machine.writable(now: Self.start) == .write)
        #expect(machine.writeResult(.wrote(40), now: Self.start) == .close(.peerClosed))
    }

    @Test func endOfStreamInsideAMessageCloses() {
        var machine = started()
        _ = deliver([0x00, 0x0C, 0x01], to: &machine)
        #expect(machine.readable(now: Self.start) == .read)
        #expect(machine.readResult(.endOfStream, buffer: [], now: Self.start) == .close(.peerClosed))
    }

    @Test func anUnansweredMessageClosesAfterEarlierAnswersAndDropsTheRest() {
        var machine = started()
        #expect(deliver(framed(1) + framed(2) + framed(3), to: &machine) == .answer(message(1)))
        #expect(machine.responseQueued(byteCount: 20, now: Self.start) == .answer(message(2)))
        #expect(machine.responseQueued(byteCount: nil, now: Self.start) == .write)
        #expect(machine.writeResult(.wrote(20), now: Self.start) == .close(.unanswerable))
    }

    @Test func aClientThatDoesNotReadIsNotReadFromEither() {
        var machine = started()
        #expect(deliver(framed(1) + framed(2) + framed(3), to: &machine) == .answer(message(1)))
        #expect(machine.responseQueued(byteCount: 60, now: Self.start) == .answer(message(2)))
        // 120 bytes queued, above the 100-byte threshold: no more answers and no reads until the client reads.
        #expect(machine.responseQueued(byteCount: 60, now: Self.start) == .write)
        #expect(
            machine.writeResult(.wouldBlock, now: Self.start)
                == .wait(interest: .writable, deadline: Self.start + 5 * Self.second)
        )
        #expect(machine.readable(now: Self.start) == .wait(interest: .writable, deadline: Self.start + 5 * Self.second))
        let later = Self.start + Self.second
        #expect(machine.writable(now: later) == .write)
        #expect(machine.writeResult(.wrote(30), now: later) == .answer(message(3)))
        #expect(machine.responseQueued(byteCount: 60, now: later) == .write)
    }

    @Test func responsesThatAreNeverReadTimeOut() {
        var machine = started()
        _ = deliver(framed(1), to: &machine)
        _ = machine.responseQueued(byteCount: 40, now: Self.start)
        #expect(machine.writeResult(.wrote(10), now: Self.start + Self.second) == .write)
        #expect(
            machine.writeResult(.wouldBlock, now: Self.start + Self.second)
                == .wait(interest: [.readable, .writable], deadline: Self.start + 6 * Self.second)
        )
        #expect(machine.timerFired(now: Self.start + 6 * Self.second) == .close(.writeTimeout))
    }

    @Test func shutdownClosesAnIdleConnectionAtOnce() {
        var machine = started()
        #expect(machine.shutdownRequested(now: Self.start) == .close(.shutdown))
    }

    @Test func shutdownFinishesQueuedResponsesFirst() {
        var machine = started()
        _ = deliver(framed(1), to: &machine)
        _ = machine.responseQueued(byteCount: 40, now: Self.start)
        #expect(
            machine.writeResult(.wouldBlock, now: Self.start)
                == .wait(interest: [.readable, .writable], deadline: Self.start + 5 * Self.second)
        )
        #expect(
            machine.shutdownRequested(now: Self.start)
                == .wait(interest: .writable, deadline: Self.start + 5 * Self.second)
        )
        #expect(machine.writable(now: Self.start) == .write)
        #expect(machine.writeResult(.wrote(40), now: Self.start) == .close(.shutdown))
        #expect(machine.abort() == .close(.shutdown))
    }

    @Test func failuresCloseAtOnce() {
        var reading = started()
        #expect(reading.readable(now: Self.start) == .read)
        #expect(reading.readResult(.failed, buffer: [], now: Self.start) == .close(.transportFailed))
        var writing = started()
        _ = deliver(framed(1), to: &writing)
        _ = writing.responseQueued(byteCount: 40, now: Self.start)
        #expect(writing.writeResult(.failed, now: Self.start) == .close(.transportFailed))
        var hungUp = started()
        #expect(hungUp.hangup(now: Self.start) == .close(.transportFailed))
        #expect(hungUp.timerFired(now: Self.start) == .close(.transportFailed))
        var aborted = started()
        #expect(aborted.abort() == .close(.shutdown))
    }

    @Test func aZeroLengthMessageIsHandedOutForTheResponderToRefuse() {
        var machine = started()
        #expect(deliver([0x00, 0x00], to: &machine) == .answer([]))
    }
}

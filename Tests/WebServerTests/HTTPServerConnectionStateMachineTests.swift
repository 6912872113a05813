import HTTPCore
import SystemIO
import TLS
import Testing

@testable import WebServer

@Suite struct HTTPServerConnectionStateMachineTests {
    typealias Machine = HTTPServerConnectionStateMachine

    static let second: UInt64 = 1_000_000_000
    /// When every test's connection is accepted (monotonic nanoseconds).
    static let accepted: UInt64 = 1_000 * second
    static let timeouts = HTTPConnectionStateMachine.Configuration(
        headerTimeout: 10 * second,
        bodyProgressTimeout: 5 * second,
        idleTimeout: 60 * second,
        sendProgressTimeout: 30 * second
    )

    /// `seconds` after the accept.
    static func at(_ seconds: UInt64) -> UInt64 { accepted + seconds * second }

    func plain(limits: HTTPParserLimits = HTTPParserLimits()) -> Machine {
        Machine(limits: limits, timeouts: Self.timeouts, handshakeTimeout: nil, now: Self.accepted)
    }

    /// A TLS connection with a 3 s handshake timeout; unless `open` is false, started (the timer armed for 3 s)
    /// and with its handshake done at 0 s.
    func secure(open: Bool = true, handshakeTimeout: Duration = .seconds(3)) -> Machine {
        var machine = Machine(
            limits: HTTPParserLimits(),
            timeouts: Self.timeouts,
            handshakeTimeout: handshakeTimeout,
            now: Self.accepted
        )
        if open {
            _ = machine.start()
            _ = machine.handshakeResult(.complete(()), now: Self.accepted)
        }
        return machine
    }

    /// Feeds `text` as the result of one read.
    func receive(
        _ text: String,
        into machine: inout Machine,
        isDrained: Bool = true,
        now: UInt64 = accepted
    ) -> Machine.Action {
        let bytes = Array(text.utf8)
        return machine.readResult(.data(count: bytes.count, isDrained: isDrained), buffer: bytes, now: now)
    }

    /// The path and body of a dispatched request.
    func dispatched(_ action: Machine.Action) -> (path: String, body: String)? {
        guard case .dispatch(let head, let body) = action else { return nil }
        return (String(head.path), String(decoding: body, as: UTF8.self))
    }

    /// Answers the outstanding request and writes the whole response at once.
    func answer(
        _ machine: inout Machine,
        closesConnection: Bool = false,
        now: UInt64 = accepted
    ) -> (disposition: Machine.ResponseDisposition, next: Machine.Action) {
        let disposition = machine.responseReady(closesConnection: closesConnection, now: now)
        return (disposition, machine.writeResult(.wrote(100), pendingBytes: 0, now: now))
    }

    // MARK: - Start and handshake

    @Test func plainConnectionArmsTheHeaderDeadlineAndReadsWhenReady() {
        var machine = plain()
        #expect(Machine.initialInterest == .readable)
        #expect(machine.start() == .wait(interest: nil, timer: Self.at(10)))
        #expect(machine.transportReady() == .read)
        #expect(
            machine.readResult(.wouldBlock(wantsWrite: false), buffer: [], now: Self.at(1))
                == .wait(interest: nil, timer: nil)
        )
    }

    @Test func tlsConnectionHandshakesFirstUnderTheEarlierDeadline() {
        var machine = secure(open: false)
        #expect(machine.start() == .wait(interest: nil, timer: Self.at(3)))
        #expect(machine.transportReady() == .handshake)
        #expect(machine.handshakeResult(.incomplete(.read), now: Self.at(1)) == .wait(interest: nil, timer: nil))
        #expect(machine.handshakeResult(.incomplete(.write), now: Self.at(1)) == .wait(interest: .writable, timer: nil))
        #expect(machine.transportReady() == .handshake)
        // The first request usually comes with the client's Finished: read at once.
        #expect(machine.handshakeResult(.complete(()), now: Self.at(2)) == .read)
        #expect(
            machine.readResult(.wouldBlock(wantsWrite: false), buffer: [], now: Self.at(2))
                == .wait(interest: .readable, timer: nil)
        )
        #expect(machine.transportReady() == .read)
    }

    @Test func failedOrSlowHandshakesClose() {
        var failed = secure(open: false)
        #expect(
            failed.handshakeResult(.failed(.handshakeFailed), now: Self.at(1))
                == .close(.handshakeFailed(.handshakeFailed))
        )
        #expect(failed.transportReady() == .wait(interest: nil, timer: nil))

        var timedOut = secure(open: false)
        _ = timedOut.start()
        #expect(timedOut.timerFired(now: Self.at(3)) == .close(.handshakeFailed(.handshakeTimedOut)))

        var trickling = secure(open: false)
        #expect(
            trickling.handshakeResult(.incomplete(.read), now: Self.at(4))
                == .close(.handshakeFailed(.handshakeTimedOut))
        )
    }

    @Test func headerDeadlineShorterThanTheHandshakeClosesSilently() {
        var machine = secure(open: false, handshakeTimeout: .seconds(20))
        #expect(machine.start() == .wait(interest: nil, timer: Self.at(10)))
        #expect(machine.timerFired(now: Self.at(10)) == .close(.http(.headerTimeout)))
    }

    // MARK: - Reading and dispatching

    @Test func drainedReadDispatchesWithoutAnotherRead() {
        var machine = plain()
        _ = machine.start()
        let action = receive("GET /a HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine, now: Self.at(1))
        #expect(dispatched(action)?.path == "/a")
        #expect(machine.requestStartTime == Self.at(1))
        let (disposition, next) = answer(&machine, now: Self.at(1))
        #expect(disposition == .send(keepAlive: true))
        // Idle until 61 s: later than the armed 10 s timer, which stays.
        #expect(next == .wait(interest: nil, timer: nil))
    }

    @Test func bodyArrivesWithItsRequestAcrossReads() {
        var machine = plain()
        #expect(
            receive("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhe", into: &machine, now: Self.at(1))
                == .wait(interest: nil, timer: Self.at(6))
        )
        let action = receive("llo", into: &machine, now: Self.at(2))
        #expect(dispatched(action)?.path == "/p")
        #expect(dispatched(action)?.body == "hello")
    }

    @Test func undrainedReadsContinueUpToTheCapThenReadWithoutWaiting() throws {
        var machine = plain(limits: HTTPParserLimits(headerBytes: 1024, bodyBytes: 1024))
        let request = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        let stream = Array(String(repeating: request, count: 4_000).utf8)
        var offset = 0
        var action = Machine.Action.read
        // The cap is 1024 + 1024 + 65 536 bytes: four full 16 KiB reads stay under it, the fifth crosses it.
        for expectedRead in 1...5 {
            let chunk = Array(stream[offset..<(offset + 16_384)])
            offset += chunk.count
            action = machine.readResult(.data(count: chunk.count, isDrained: false), buffer: chunk, now: Self.at(1))
            #expect((action == .read) == (expectedRead < 5))
        }
        var answered = 0
        while dispatched(action) != nil {
            answered += 1
            action = answer(&machine, now: Self.at(1)).next
        }
        #expect(answered == offset / request.utf8.count)
        // The transport was not drained: bytes may wait inside TLS where readiness cannot see them.
        #expect(action == .read)
    }

    @Test func tlsWantingToWriteForAReadWaitsForWritable() {
        var machine = secure()
        #expect(
            machine.readResult(.wouldBlock(wantsWrite: true), buffer: [], now: Self.at(1))
                == .wait(interest: .writable, timer: nil)
        )
        #expect(machine.transportReady() == .read)
        let action = receive("GET /w HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine, now: Self.at(1))
        #expect(dispatched(action)?.path == "/w")
        #expect(answer(&machine, now: Self.at(1)).next == .wait(interest: .readable, timer: nil))
    }

    /// Deferred TLS writes are flushed before every wait while handshaking or reading; a flush the socket does not
    /// take adds `.writable` to the wait until a later flush empties the buffer, and a failed flush closes.
    @Test func aBlockedFlushBeforeAWaitWaitsForWritableUntilItDrains() {
        var machine = secure(open: false)
        _ = machine.start()
        #expect(machine.flushesBeforeWaiting)
        #expect(machine.handshakeResult(.incomplete(.read), now: Self.at(1)) == .wait(interest: nil, timer: nil))
        #expect(machine.flushResult(.wrote(0)) == nil, "a flush that empties the buffer keeps the wait")
        #expect(
            machine.flushResult(.wouldBlock(wantsRead: false)) == .wait(interest: [.readable, .writable], timer: nil)
        )
        #expect(machine.isOutputBlocked)
        #expect(machine.flushResult(.wouldBlock(wantsRead: false)) == nil, "still blocked: the wait is unchanged")
        // Writable: the handshake runs again, still wants to read, and the next flush drains.
        #expect(machine.transportReady() == .handshake)
        #expect(machine.handshakeResult(.incomplete(.read), now: Self.at(1)) == .wait(interest: nil, timer: nil))
        #expect(machine.flushResult(.wrote(0)) == .wait(interest: .readable, timer: nil))
        #expect(!machine.isOutputBlocked)

        // Reading: the same; a response's own writes then take over the flushing.
        #expect(machine.handshakeResult(.complete(()), now: Self.at(2)) == .read)
        #expect(
            machine.readResult(.wouldBlock(wantsWrite: false), buffer: [], now: Self.at(2))
                == .wait(interest: nil, timer: nil)
        )
        #expect(
            machine.flushResult(.wouldBlock(wantsRead: false)) == .wait(interest: [.readable, .writable], timer: nil)
        )
        #expect(dispatched(receive("GET /f HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine, now: Self.at(2))) != nil)
        _ = machine.responseReady(closesConnection: false, now: Self.at(2))
        #expect(!machine.flushesBeforeWaiting)
        #expect(!machine.isOutputBlocked)
        #expect(
            machine.writeResult(.wrote(10), pendingBytes: 0, now: Self.at(2)) == .wait(interest: .readable, timer: nil)
        )

        #expect(machine.flushResult(.failed) == .close(.transportFailed))
    }

    @Test func parseErrorIsAnsweredThenTheConnectionCloses() {
        var plainMachine = plain()
        #expect(receive("GET / HTTP/1.1\nHost: a\n\n", into: &plainMachine) == .writeErrorResponse(.badRequest))
        #expect(plainMachine.writeResult(.wrote(80), pendingBytes: 0, now: Self.at(0)) == .close(.http(.notPersistent)))

        var tlsMachine = secure()
        #expect(
            receive("GET / HTTP/9.9\r\nHost: a\r\n\r\n", into: &tlsMachine)
                == .writeErrorResponse(.httpVersionNotSupported)
        )
        #expect(tlsMachine.writeResult(.wrote(80), pendingBytes: 0, now: Self.at(0)) == .sendCloseNotify)
        #expect(tlsMachine.closeNotifyResult(.complete(())) == .close(.http(.notPersistent)))
    }

    @Test func readFailuresClose() {
        var plainMachine = plain()
        #expect(plainMachine.readResult(.failed, buffer: [], now: Self.at(1)) == .close(.transportFailed))
        var tlsMachine = secure()
        #expect(tlsMachine.readResult(.failed, buffer: [], now: Self.at(1)) == .close(.tls(.failed)))
    }

    // MARK: - Writing

    @Test func pipelinedRequestWaitsUntilTheFirstResponseIsWritten() {
        var machine = plain()
        _ = machine.start()
        let action = receive(
            "GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n",
            into: &machine,
            now: Self.at(1)
        )
        #expect(dispatched(action)?.path == "/one")
        #expect(machine.responseReady(closesConnection: false, now: Self.at(1)) == .send(keepAlive: true))
        #expect(machine.writeResult(.wrote(5), pendingBytes: 10, now: Self.at(1)) == .write)
        #expect(
            machine.writeResult(.wouldBlock(wantsRead: false), pendingBytes: 10, now: Self.at(1))
                == .wait(interest: .writable, timer: nil)
        )
        #expect(machine.transportReady() == .write)
        let next = machine.writeResult(.wrote(10), pendingBytes: 0, now: Self.at(2))
        #expect(dispatched(next)?.path == "/two")
        #expect(answer(&machine, now: Self.at(2)).next == .wait(interest: .readable, timer: nil))
    }

    @Test func tlsWantingToReadForAWriteWaitsForReadable() {
        var machine = secure()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine)
        _ = machine.responseReady(closesConnection: false, now: Self.at(0))
        #expect(
            machine.writeResult(.wouldBlock(wantsRead: true), pendingBytes: 90, now: Self.at(0))
                == .wait(interest: nil, timer: nil)
        )
        #expect(machine.transportReady() == .write)
        #expect(machine.transportHungUp() == .write)
        #expect(machine.writeResult(.failed, pendingBytes: 90, now: Self.at(0)) == .close(.transportFailed))
    }

    @Test func connectionCloseFromTheRequestOrTheResponderEndsTheConnection() {
        var requested = plain()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", into: &requested)
        #expect(answer(&requested) == (.send(keepAlive: false), .close(.http(.notPersistent))))

        var http10 = plain()
        _ = receive("GET / HTTP/1.0\r\n\r\n", into: &http10)
        #expect(answer(&http10) == (.send(keepAlive: false), .close(.http(.notPersistent))))

        var byResponder = secure()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &byResponder)
        #expect(answer(&byResponder, closesConnection: true) == (.send(keepAlive: false), .sendCloseNotify))
        // close_notify is not waited for when it cannot be written at once.
        #expect(byResponder.closeNotifyResult(.incomplete(.write)) == .close(.http(.notPersistent)))
    }

    // MARK: - The peer closing

    @Test func endOfStreamBetweenRequestsCloses() {
        var plainMachine = plain()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &plainMachine)
        _ = answer(&plainMachine)
        #expect(plainMachine.transportReady() == .read)
        #expect(plainMachine.readResult(.endOfStream, buffer: [], now: Self.at(1)) == .close(.http(.peerClosed)))
    }

    @Test func peerCloseNotifyIsAnsweredWithOurs() {
        var machine = secure()
        #expect(machine.readResult(.endOfStream, buffer: [], now: Self.at(1)) == .sendCloseNotify)
        #expect(machine.closeNotifyResult(.complete(())) == .close(.http(.peerClosed)))
        #expect(machine.transportReady() == .wait(interest: nil, timer: nil))
    }

    @Test func endOfStreamRightAfterARequestStillGetsItsResponse() {
        var machine = secure()
        #expect(receive("GET /last HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine, isDrained: false) == .read)
        let action = machine.readResult(.endOfStream, buffer: [], now: Self.at(1))
        #expect(dispatched(action)?.path == "/last")
        #expect(answer(&machine) == (.send(keepAlive: false), .sendCloseNotify))
        #expect(machine.closeNotifyResult(.complete(())) == .close(.http(.notPersistent)))
    }

    @Test func endOfStreamWhileTheResponderWorksFinishesTheResponse() {
        var machine = plain()
        _ = machine.start()
        _ = receive("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine, now: Self.at(1))
        // Still readable while the responder works, so the peer's close is seen.
        #expect(machine.responseDeferred() == .wait(interest: nil, timer: nil))
        #expect(machine.transportReady() == .read)
        #expect(machine.readResult(.endOfStream, buffer: [], now: Self.at(2)) == .wait(interest: [], timer: nil))
        #expect(answer(&machine, now: Self.at(3)) == (.send(keepAlive: false), .close(.http(.notPersistent))))
    }

    @Test func bytesReadWhileTheResponderWorksWaitAndStopAtTheCap() {
        var machine = plain(limits: HTTPParserLimits(headerBytes: 1024, bodyBytes: 1024))
        _ = receive("GET /first HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine)
        _ = machine.responseDeferred()
        let request = Array("GET /next HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let chunk = Array(repeatElement(request, count: 600).joined())
        #expect(
            machine.readResult(.data(count: chunk.count, isDrained: false), buffer: chunk, now: Self.at(1)) == .read
        )
        #expect(
            machine.readResult(.data(count: chunk.count, isDrained: false), buffer: chunk, now: Self.at(1)) == .read
        )
        #expect(
            machine.readResult(.data(count: chunk.count, isDrained: false), buffer: chunk, now: Self.at(1)) == .read
        )
        #expect(
            machine.readResult(.data(count: chunk.count, isDrained: true), buffer: chunk, now: Self.at(1))
                == .wait(interest: [], timer: nil)
        )
        #expect(machine.transportReady() == .wait(interest: nil, timer: nil))
        // A hang-up now cannot be read away: nothing could deliver the answer.
        var hungUp = machine
        #expect(hungUp.transportHungUp() == .close(.transportFailed))
        let next = answer(&machine, now: Self.at(2)).next
        #expect(dispatched(next)?.path == "/next")
    }

    @Test func hangUpWhileTheResponderWorksAndCanReadTriesTheRead() {
        var machine = plain()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine)
        _ = machine.responseDeferred()
        #expect(machine.transportHungUp() == .read)
        #expect(machine.readResult(.failed, buffer: [], now: Self.at(1)) == .close(.transportFailed))
        #expect(machine.responseReady(closesConnection: false, now: Self.at(2)) == .discard)
    }

    // MARK: - Shutdown

    @Test func drainClosesIdleConnectionsAtOnce() {
        var fresh = plain()
        #expect(fresh.shutdownRequested() == .close(.http(.shutdown)))

        var keptAlive = secure()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &keptAlive)
        _ = answer(&keptAlive)
        #expect(keptAlive.shutdownRequested() == .sendCloseNotify)
        #expect(keptAlive.closeNotifyResult(.failed(.shutdownFailed)) == .close(.http(.shutdown)))

        // Mid-handshake there is no session to close_notify.
        var handshaking = secure(open: false)
        #expect(handshaking.shutdownRequested() == .close(.http(.shutdown)))
    }

    @Test func drainLetsTheOutstandingResponseEndTheConnection() {
        var machine = plain()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine)
        _ = machine.responseDeferred()
        #expect(machine.shutdownRequested() == .wait(interest: nil, timer: nil))
        #expect(answer(&machine) == (.send(keepAlive: false), .close(.http(.notPersistent))))
    }

    @Test func drainWaitsForAStartedRequest() {
        var machine = plain()
        _ = receive("GET /late HTTP/1.1\r\nHost: a\r\n", into: &machine)
        #expect(machine.shutdownRequested() == .wait(interest: nil, timer: nil))
        let action = receive("\r\n", into: &machine)
        #expect(dispatched(action)?.path == "/late")
        #expect(answer(&machine) == (.send(keepAlive: false), .close(.http(.notPersistent))))
    }

    @Test func abortClosesAndEverythingAfterIsIgnored() {
        var machine = plain()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine)
        #expect(machine.abort() == .close(.aborted))
        let unchanged = Machine.Action.wait(interest: nil, timer: nil)
        #expect(machine.abort() == unchanged)
        #expect(machine.transportReady() == unchanged)
        #expect(machine.transportHungUp() == unchanged)
        #expect(machine.timerFired(now: .max) == unchanged)
        #expect(machine.shutdownRequested() == unchanged)
        #expect(machine.responseDeferred() == unchanged)
        #expect(machine.responseReady(closesConnection: false, now: Self.at(1)) == .discard)
        #expect(machine.handshakeResult(.complete(()), now: Self.at(1)) == unchanged)
        #expect(machine.readResult(.endOfStream, buffer: [], now: Self.at(1)) == unchanged)
        #expect(machine.writeResult(.wrote(1), pendingBytes: 0, now: Self.at(1)) == unchanged)
        #expect(machine.closeNotifyResult(.complete(())) == unchanged)
    }

    // MARK: - Timeouts

    @Test func silentConnectionClosesAtTheHeaderDeadline() {
        var machine = plain()
        _ = machine.start()
        #expect(machine.timerFired(now: Self.at(10)) == .close(.http(.headerTimeout)))
    }

    @Test func slowlorisHeadGetsA408() {
        var machine = plain()
        _ = machine.start()
        #expect(receive("GET / HTTP/1.1\r\n", into: &machine, now: Self.at(9)) == .wait(interest: nil, timer: nil))
        #expect(machine.timerFired(now: Self.at(10)) == .writeErrorResponse(.requestTimeout))
        #expect(machine.writeResult(.wrote(90), pendingBytes: 0, now: Self.at(10)) == .close(.http(.notPersistent)))
    }

    @Test func stalledBodyGetsA408() {
        var machine = plain()
        _ = machine.start()
        let head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc"
        #expect(receive(head, into: &machine, now: Self.at(1)) == .wait(interest: nil, timer: Self.at(6)))
        #expect(receive("de", into: &machine, now: Self.at(4)) == .wait(interest: nil, timer: nil))
        // The timer armed for 6 s fires early: the body deadline moved to 9 s.
        #expect(machine.timerFired(now: Self.at(6)) == .wait(interest: nil, timer: Self.at(9)))
        #expect(machine.timerFired(now: Self.at(9)) == .writeErrorResponse(.requestTimeout))
    }

    @Test func idleConnectionClosesAtTheIdleDeadline() {
        var machine = plain()
        _ = machine.start()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine, now: Self.at(1))
        #expect(answer(&machine, now: Self.at(1)).next == .wait(interest: nil, timer: nil))
        #expect(machine.timerFired(now: Self.at(10)) == .wait(interest: nil, timer: Self.at(61)))
        #expect(machine.timerFired(now: Self.at(61)) == .close(.http(.idleTimeout)))
    }

    @Test func peerThatStopsReadingIsClosedAtTheSendDeadline() {
        var machine = plain()
        _ = machine.start()
        _ = receive("GET /big HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine, now: Self.at(1))
        _ = machine.responseReady(closesConnection: false, now: Self.at(1))
        // Even a first write without progress is bounded by the send deadline (31 s, after the armed 10 s).
        #expect(
            machine.writeResult(.wouldBlock(wantsRead: false), pendingBytes: 500, now: Self.at(1))
                == .wait(interest: .writable, timer: nil)
        )
        #expect(machine.timerFired(now: Self.at(10)) == .wait(interest: nil, timer: Self.at(31)))
        #expect(machine.writeResult(.wrote(100), pendingBytes: 400, now: Self.at(20)) == .write)
        #expect(
            machine.writeResult(.wouldBlock(wantsRead: false), pendingBytes: 400, now: Self.at(20))
                == .wait(interest: nil, timer: nil)
        )
        #expect(machine.timerFired(now: Self.at(31)) == .wait(interest: nil, timer: Self.at(50)))
        #expect(machine.timerFired(now: Self.at(50)) == .close(.http(.sendTimeout)))
    }

    @Test func pipelinedPartialRequestStartsItsHeaderDeadlineOnceTheResponseIsWritten() {
        var machine = plain()
        _ = machine.start()
        _ = receive("GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /tw", into: &machine, now: Self.at(1))
        #expect(answer(&machine, now: Self.at(2)).next == .wait(interest: nil, timer: nil))
        // Not the idle deadline (62 s): the next request has begun, so its header deadline (12 s) applies.
        #expect(machine.timerFired(now: Self.at(10)) == .wait(interest: nil, timer: Self.at(12)))
        #expect(machine.timerFired(now: Self.at(12)) == .writeErrorResponse(.requestTimeout))
    }

    @Test func anEarlierDeadlineReplacesTheArmedTimer() {
        var machine = plain()
        _ = machine.start()
        _ = receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &machine, now: Self.at(1))
        _ = answer(&machine, now: Self.at(1))
        #expect(machine.timerFired(now: Self.at(10)) == .wait(interest: nil, timer: Self.at(61)))
        // The next request's header deadline (30 s + 10 s) comes before the armed idle deadline.
        #expect(
            receive("GET / HTTP/1.1\r\n", into: &machine, now: Self.at(30)) == .wait(interest: nil, timer: Self.at(40))
        )
    }

    @Test func aKibibyteBodyDribbledAtOneBytePerSecondGetsA408WithinTheRequestDeadline() throws {
        // The API's settings: 30 s per request, 512 bytes/s after 5 s of grace.
        var timeouts = Self.timeouts
        timeouts.requestTimeout = 30 * Self.second
        timeouts.minimumBodyRate = 512
        timeouts.bodyRateGracePeriod = 5 * Self.second
        var machine = Machine(limits: HTTPParserLimits(), timeouts: timeouts, handshakeTimeout: nil, now: Self.accepted)
        var armed: UInt64?
        func track(_ action: Machine.Action) {
            if case .wait(_, let timer?) = action { armed = timer }
        }
        track(machine.start())
        track(receive("POST /v1/accounts HTTP/1.1\r\nHost: a\r\nContent-Length: 1024\r\n\r\n", into: &machine))
        var answeredAt: UInt64?
        var sent = 0
        for second in 1...1024 {
            let now = Self.at(UInt64(second))
            // The loop fires the armed timer first when it is due (it may fire early and re-arm).
            while let deadline = armed, deadline <= now, answeredAt == nil {
                armed = nil
                let action = machine.timerFired(now: deadline)
                if action == .writeErrorResponse(.requestTimeout) { answeredAt = deadline }
                track(action)
            }
            if answeredAt != nil { break }
            track(receive("x", into: &machine, now: now))
            sent += 1
        }
        let answered = try #require(answeredAt)
        // Cut off by the rate after about 5 s, long before the 30 s request deadline.
        #expect(answered - Self.accepted <= 6 * Self.second)
        #expect(sent < 1024)
    }
}

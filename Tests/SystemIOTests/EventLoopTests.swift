import Foundation
import Glibc
import Synchronization
import Testing

@testable import SystemIO

@Suite struct EventLoopTests {
    @Test func executeFromOtherThreadsRunsOnLoopInOrder() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        #expect(!loop.inEventLoop)
        let recorder = Recorder<Int>()
        let onLoopFlags = Recorder<Bool>()
        let latch = Latch()
        for index in 0..<1_000 {
            loop.execute {
                recorder.append(index)
                onLoopFlags.append(loop.inEventLoop)
                if index == 999 { latch.signal() }
            }
        }
        #expect(latch.wait())
        #expect(recorder.all == Array(0..<1_000))
        #expect(onLoopFlags.all.allSatisfy { $0 })
    }

    @Test func concurrentSubmittersAreAllWoken() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let count = Atomic<Int>(0)
        let latch = Latch()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<500 {
                loop.execute {
                    if count.wrappingAdd(1, ordering: .relaxed).newValue == 4_000 { latch.signal() }
                }
            }
        }
        #expect(latch.wait())
        #expect(count.load(ordering: .relaxed) == 4_000)
    }

    @Test func timersFireInDeadlineOrderAndNotEarly() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let fired = Recorder<String>()
        let early = Recorder<String>()
        let latch = Latch()
        loop.execute {
            let base = Deadline.now()
            for (name, offset) in [("c", 30), ("a", 10), ("b", 20), ("a2", 10), ("d", 40)] {
                let deadline = base + .milliseconds(offset)
                loop.scheduleTimer(deadline: deadline) {
                    if Deadline.now() < deadline { early.append(name) }
                    fired.append(name)
                    if name == "d" { latch.signal() }
                }
            }
        }
        #expect(latch.wait())
        #expect(fired.all == ["a", "a2", "b", "c", "d"])
        #expect(early.all.isEmpty)
    }

    @Test func cancelledTimerNeverFires() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let fired = Recorder<String>()
        let cancelResults = Recorder<Bool>()
        let latch = Latch()
        loop.execute {
            let first = loop.scheduleTimer(after: .milliseconds(10)) { fired.append("cancelled") }
            loop.scheduleTimer(after: .milliseconds(30)) {
                fired.append("kept")
                cancelResults.append(loop.cancelTimer(first))  // already cancelled: false
                latch.signal()
            }
            cancelResults.append(loop.cancelTimer(first))
        }
        #expect(latch.wait())
        #expect(fired.all == ["kept"])
        #expect(cancelResults.all == [true, false])
    }

    @Test func pastDeadlineFiresOnNextIteration() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let latch = Latch()
        loop.execute {
            loop.scheduleTimer(deadline: Deadline(uptimeNanoseconds: 0)) { latch.signal() }
        }
        #expect(latch.wait(timeout: .seconds(2)))
    }

    @Test func shutdownRunsQueuedWorkAndStopsThreads() throws {
        let group = try EventLoopGroup(numberOfLoops: 3)
        #expect(group.loops.count == 3)
        #expect(group.next() !== group.next())
        let count = Atomic<Int>(0)
        for loop in group.loops {
            loop.execute { count.wrappingAdd(1, ordering: .relaxed) }
        }
        try group.shutdownGracefully()
        #expect(count.load(ordering: .relaxed) == 3)
    }

    @Test func workSubmittedAfterShutdownIsDropped() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        let loop = group.next()
        try group.shutdownGracefully()
        let ran = Atomic<Bool>(false)
        loop.execute { ran.store(true, ordering: .relaxed) }
        let didRun = ran.load(ordering: .relaxed)
        #expect(!didRun)
        #expect(!loop.inEventLoop)
    }

    @Test func defaultLoopCountIsCoreCount() {
        #expect(EventLoopGroup.defaultLoopCount == ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test func handlerGetsReadableThenWritableAfterModify() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let (local, remote) = try socketPair()
        defer {
            try? local.close()
            try? remote.close()
        }
        let events = Recorder<String>()
        let latch = Latch()
        let fd = local.rawValue
        let registered = try onLoop(loop) {
            let handler = ClosureHandler(
                readable: {
                    events.append("readable:\(readByte(from: fd))")
                    try? loop.modify(descriptor: fd, interest: .writable)
                },
                writable: {
                    events.append("writable")
                    try? loop.deregister(descriptor: fd)
                    latch.signal()
                },
                hangup: { events.append("hangup") }
            )
            try loop.register(handler, descriptor: fd, interest: .readable)
            return loop.registrationCount
        }
        #expect(registered == 1)
        sendByte(42, to: remote)
        #expect(latch.wait())
        #expect(events.all == ["readable:42", "writable"])
        #expect(try onLoop(loop) { loop.registrationCount } == 0)
    }

    /// A request on a connection in progress must not queue behind a new connection's first (costliest) step:
    /// the new handler's descriptor is made readable first, in the same batch, yet it runs last.
    @Test func aHandlersFirstReadinessWaitsForHandlersInProgressInTheSameBatch() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let inProgress = try socketPair()
        let new = try socketPair()
        let newer = try socketPair()
        defer {
            for descriptor in [inProgress, new, newer].flatMap({ [$0.local, $0.remote] }) {
                try? descriptor.close()
            }
        }
        let events = Recorder<String>()
        let latch = Latch()
        /// Registers a handler that records `name` and the byte it reads; on the loop thread.
        @Sendable func watch(_ descriptor: FileDescriptor, as name: String) throws {
            let fd = descriptor.rawValue
            let handler = ClosureHandler(readable: {
                events.append("\(name):\(readByte(from: fd))")
                latch.signal()
            })
            try loop.register(handler, descriptor: fd, interest: .readable)
        }
        try onLoop(loop) { try watch(inProgress.local, as: "in-progress") }
        sendByte(1, to: inProgress.remote)
        #expect(latch.wait())
        // Both become readable before the loop waits again, the new one first (the order the kernel reports is not
        // relied on: the loop's own order decides).
        try onLoop(loop) {
            try watch(new.local, as: "new")
            sendByte(2, to: new.remote)
            sendByte(3, to: inProgress.remote)
        }
        #expect(latch.wait())
        #expect(latch.wait())
        #expect(events.all == ["in-progress:1", "in-progress:3", "new:2"])
        // Started now, it goes ahead of a newer handler's first readiness, again whatever the kernel's order.
        try onLoop(loop) {
            try watch(newer.local, as: "newer")
            sendByte(4, to: newer.remote)
            sendByte(5, to: new.remote)
        }
        #expect(latch.wait())
        #expect(latch.wait())
        #expect(events.all.suffix(2) == ["new:5", "newer:4"])
    }

    /// A listener every loop watches is registered `EPOLLEXCLUSIVE`, which the kernel accepts only without
    /// `EPOLLRDHUP` and never modifies (`EINVAL`): pausing it and watching it again must still work.
    @Test func anExclusiveRegistrationIsPausedAndWatchedAgain() throws {
        let listener = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"), reusePort: false)
        defer { try? listener.close() }
        let selector = try Selector()
        let fd = listener.fileDescriptor
        try selector.register(fd: fd, interest: [.readable, .exclusive], token: 7)
        let client = try Socket.connect(to: listener.localAddress, timeout: .seconds(5))
        defer { try? client.close() }
        #expect(try reported(by: selector, waitingMilliseconds: 5_000) == [7])
        try selector.modify(fd: fd, interest: [.exclusive], was: [.readable, .exclusive], token: 7)
        #expect(try reported(by: selector, waitingMilliseconds: 0) == [])
        try selector.modify(fd: fd, interest: [.readable, .exclusive], was: [.exclusive], token: 8)
        #expect(try reported(by: selector, waitingMilliseconds: 5_000) == [8])
    }

    @Test func registrationErrorsAreThrown() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let errors = try onLoop(loop) { () -> [SystemError?] in
            final class Nothing: EventHandler {
                func readable() {}
                func writable() {}
                func hangup() {}
            }
            var result: [SystemError?] = []
            do { try loop.register(Nothing(), descriptor: 9_999, interest: .readable) } catch {
                result.append(error as? SystemError)
            }
            do { try loop.deregister(descriptor: 9_998) } catch { result.append(error as? SystemError) }
            return result
        }
        #expect(
            errors == [
                SystemError(errno: EBADF, function: "epoll_ctl"), SystemError(errno: ENOENT, function: "epoll_ctl"),
            ]
        )
    }
}

/// A connected pair of non-blocking Unix stream sockets; the caller closes both.
private func socketPair() throws -> (local: FileDescriptor, remote: FileDescriptor) {
    var fds: [CInt] = [0, 0]
    guard socketpair(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue), 0, &fds) == 0 else {
        throw SystemError(errno: errno, function: "socketpair")
    }
    return (FileDescriptor(rawValue: fds[0]), FileDescriptor(rawValue: fds[1]))
}

/// The tokens `selector` reports within one wait of up to `milliseconds`.
private func reported(by selector: Selector, waitingMilliseconds milliseconds: CInt) throws -> [UInt64] {
    var tokens: [UInt64] = []
    try selector.wait(timeoutMilliseconds: milliseconds) { token, _ in tokens.append(token) }
    return tokens
}

/// Reads one byte from `fd`; 0 when none was there.
private func readByte(from fd: CInt) -> UInt8 {
    var byte: UInt8 = 0
    _ = try? withUnsafeMutableBytes(of: &byte) { try Posix.read(fd, into: $0) }
    return byte
}

/// Writes one byte to `descriptor`.
private func sendByte(_ byte: UInt8, to descriptor: FileDescriptor) {
    _ = try? [byte].withUnsafeBytes { try Posix.write(descriptor.rawValue, from: $0) }
}

/// A handler that runs the closures it was given (on the loop thread).
private final class ClosureHandler: EventHandler {
    private let onReadable: () -> Void
    private let onWritable: () -> Void
    private let onHangup: () -> Void

    init(readable: @escaping () -> Void, writable: @escaping () -> Void = {}, hangup: @escaping () -> Void = {}) {
        onReadable = readable
        onWritable = writable
        onHangup = hangup
    }

    func readable() { onReadable() }
    func writable() { onWritable() }
    func hangup() { onHangup() }
}

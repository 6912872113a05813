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
        var fds: [CInt] = [0, 0]
        #expect(socketpair(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        let local = FileDescriptor(rawValue: fds[0])
        let remote = FileDescriptor(rawValue: fds[1])
        let events = Recorder<String>()
        let latch = Latch()
        final class Handler: EventHandler {
            let loop: EventLoop
            let fd: CInt
            let events: Recorder<String>
            let latch: Latch
            init(loop: EventLoop, fd: CInt, events: Recorder<String>, latch: Latch) {
                self.loop = loop
                self.fd = fd
                self.events = events
                self.latch = latch
            }
            func readable() {
                var byte: UInt8 = 0
                _ = try? withUnsafeMutableBytes(of: &byte) { try Posix.read(fd, into: $0) }
                events.append("readable:\(byte)")
                try? loop.modify(descriptor: fd, interest: .writable)
            }
            func writable() {
                events.append("writable")
                try? loop.deregister(descriptor: fd)
                latch.signal()
            }
            func hangup() { events.append("hangup") }
        }
        let registered = try onLoop(loop) {
            try loop.register(
                Handler(loop: loop, fd: local.rawValue, events: events, latch: latch),
                descriptor: local.rawValue,
                interest: .readable
            )
            return loop.registrationCount
        }
        #expect(registered == 1)
        _ = try [UInt8]([42]).withUnsafeBytes { try Posix.write(remote.rawValue, from: $0) }
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
        func pair() throws -> (local: FileDescriptor, remote: FileDescriptor) {
            var fds: [CInt] = [0, 0]
            guard socketpair(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue), 0, &fds) == 0 else {
                throw SystemError(errno: errno, function: "socketpair")
            }
            return (FileDescriptor(rawValue: fds[0]), FileDescriptor(rawValue: fds[1]))
        }
        let inProgress = try pair()
        let new = try pair()
        let newer = try pair()
        defer {
            for descriptor in [inProgress, new, newer].flatMap({ [$0.local, $0.remote] }) {
                try? descriptor.close()
            }
        }
        let events = Recorder<String>()
        let latch = Latch()
        final class Reader: EventHandler {
            let name: String
            let fd: CInt
            let events: Recorder<String>
            let latch: Latch
            init(name: String, fd: CInt, events: Recorder<String>, latch: Latch) {
                self.name = name
                self.fd = fd
                self.events = events
                self.latch = latch
            }
            func readable() {
                var byte: UInt8 = 0
                _ = try? withUnsafeMutableBytes(of: &byte) { try Posix.read(fd, into: $0) }
                events.append("\(name):\(byte)")
                latch.signal()
            }
            func writable() {}
            func hangup() {}
        }
        @Sendable func send(_ byte: UInt8, to descriptor: FileDescriptor) {
            _ = try? [byte].withUnsafeBytes { try Posix.write(descriptor.rawValue, from: $0) }
        }
        try onLoop(loop) {
            try loop.register(
                Reader(name: "in-progress", fd: inProgress.local.rawValue, events: events, latch: latch),
                descriptor: inProgress.local.rawValue,
                interest: .readable
            )
        }
        send(1, to: inProgress.remote)
        #expect(latch.wait())
        // Both become readable before the loop waits again, the new one first (the order the kernel reports is not
        // relied on: the loop's own order decides).
        try onLoop(loop) {
            try loop.register(
                Reader(name: "new", fd: new.local.rawValue, events: events, latch: latch),
                descriptor: new.local.rawValue,
                interest: .readable
            )
            send(2, to: new.remote)
            send(3, to: inProgress.remote)
        }
        #expect(latch.wait())
        #expect(latch.wait())
        #expect(events.all == ["in-progress:1", "in-progress:3", "new:2"])
        // Started now, it goes ahead of a newer handler's first readiness, again whatever the kernel's order.
        try onLoop(loop) {
            try loop.register(
                Reader(name: "newer", fd: newer.local.rawValue, events: events, latch: latch),
                descriptor: newer.local.rawValue,
                interest: .readable
            )
            send(4, to: newer.remote)
            send(5, to: new.remote)
        }
        #expect(latch.wait())
        #expect(latch.wait())
        #expect(events.all.suffix(2) == ["new:5", "newer:4"])
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

internal import CLinux
import Glibc

/// An epoll instance. Readiness is **level-triggered**: a descriptor stays reported while it remains readable or
/// writable, so handlers need not drain sockets to `EAGAIN`, and writers register ``EventSet/writable`` only while
/// they have bytes queued.
///
/// Confined to its loop's thread. Each registration carries a 64-bit token returned with its events.
package final class Selector {
    private let epoll: FileDescriptor
    private var events: UnsafeMutableBufferPointer<epoll_event>

    /// Creates the epoll instance.
    /// - Parameter capacity: Maximum events returned per wait.
    package init(capacity: Int = 256) throws {
        self.epoll = FileDescriptor(rawValue: try Linux.epollCreate())
        self.events = .allocate(capacity: capacity)
        self.events.initialize(repeating: epoll_event())
    }

    deinit {
        events.deallocate()
    }

    /// The one translation from ``EventSet`` to `EPOLL*` flags (level-triggered: no `EPOLLET`).
    static func epollFlags(for interest: EventSet) -> UInt32 {
        var flags: UInt32 = 0
        if interest.contains(.exclusive) {
            flags |= EPOLLEXCLUSIVE.rawValue
            if interest.contains(.readable) { flags |= EPOLLIN.rawValue }
        } else if interest.contains(.readable) {
            flags |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        }
        if interest.contains(.writable) {
            flags |= EPOLLOUT.rawValue
        }
        return flags
    }

    /// Translates reported `EPOLL*` bits back to an ``EventSet``.
    static func eventSet(fromEpoll flags: UInt32) -> EventSet {
        var set: EventSet = []
        if flags & EPOLLIN.rawValue != 0 { set.insert(.readable) }
        if flags & EPOLLOUT.rawValue != 0 { set.insert(.writable) }
        if flags & EPOLLRDHUP.rawValue != 0 { set.formUnion([.readHangup, .readable]) }
        if flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { set.insert(.hangup) }
        return set
    }

    /// Starts watching `fd` for `interest`.
    package func register(fd: CInt, interest: EventSet, token: UInt64) throws {
        try control(EPOLL_CTL_ADD, fd: fd, interest: interest, token: token)
    }

    /// Changes the interest (and token) of a registered `fd`. An ``EventSet/exclusive`` registration (`was` or
    /// `interest`) is removed and added again: the kernel refuses `EPOLL_CTL_MOD` for one.
    package func modify(fd: CInt, interest: EventSet, was previous: EventSet, token: UInt64) throws {
        if previous.contains(.exclusive) || interest.contains(.exclusive) {
            try deregister(fd: fd)
            try register(fd: fd, interest: interest, token: token)
        } else {
            try control(EPOLL_CTL_MOD, fd: fd, interest: interest, token: token)
        }
    }

    /// Stops watching `fd`.
    package func deregister(fd: CInt) throws {
        var event = epoll_event()
        try Linux.epollControl(epoll.rawValue, operation: EPOLL_CTL_DEL, fd: fd, event: &event)
    }

    /// Waits for readiness and calls `body(token, events)` for each ready registration.
    /// - Parameter timeoutMilliseconds: `-1` waits indefinitely, `0` polls.
    /// - Returns: The number of events delivered.
    @discardableResult
    package func wait(timeoutMilliseconds: CInt, _ body: (UInt64, EventSet) -> Void) throws -> Int {
        let count = try Linux.epollWait(epoll.rawValue, events: events, timeoutMilliseconds: timeoutMilliseconds)
        for index in 0..<count {
            let event = events[index]
            body(event.data.u64, Self.eventSet(fromEpoll: event.events))
        }
        return count
    }

    private func control(_ operation: CInt, fd: CInt, interest: EventSet, token: UInt64) throws {
        var event = epoll_event()
        event.events = Self.epollFlags(for: interest)
        event.data.u64 = token
        try Linux.epollControl(epoll.rawValue, operation: operation, fd: fd, event: &event)
    }
}

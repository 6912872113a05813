import Glibc

// MARK: - Readiness waits with poll(2)

extension FileDescriptor {
    /// Waits with `poll(2)` until the descriptor is ready for `events` or `deadline` passes.
    ///
    /// Hang-up and error conditions count as ready: the next read or write then reports them. A deadline that
    /// has already passed returns `false` without polling, so a peer that keeps the descriptor ready (a flood
    /// of datagrams) cannot stretch a loop that waits before each read beyond its deadline.
    /// - Parameters:
    ///   - events: ``EventSet/readable``, ``EventSet/writable`` or both.
    ///   - deadline: When to give up.
    /// - Returns: `false` when the deadline passed first.
    /// - Throws: ``SystemError`` from `poll(2)`.
    func waitUntilReady(for events: EventSet, until deadline: Deadline) throws -> Bool {
        guard Deadline.now() < deadline else {
            return false
        }
        return try Posix.poll(rawValue, events: Self.pollEvents(events), deadline: deadline) != 0
    }

    /// Waits with `poll(2)` for at most `timeout`; zero or negative polls once without waiting.
    /// - Returns: `false` when the timeout passed first.
    /// - Throws: ``SystemError`` from `poll(2)`.
    func waitUntilReady(for events: EventSet, timeout: Duration) throws -> Bool {
        try Posix.poll(rawValue, events: Self.pollEvents(events), timeoutMilliseconds: timeout.milliseconds) != 0
    }

    /// The `POLLIN`/`POLLOUT` bits for `events` (the poll counterpart of ``Selector``'s `EPOLL*` translation).
    private static func pollEvents(_ events: EventSet) -> Int16 {
        var requested: Int16 = 0
        if events.contains(.readable) { requested |= Int16(POLLIN) }
        if events.contains(.writable) { requested |= Int16(POLLOUT) }
        return requested
    }
}

import Glibc

// MARK: - Blocking mode and readiness waits (blocking clients driven by a deadline)

extension Socket {
    /// Sets or clears `O_NONBLOCK`; a blocking client clears the read/write timeouts of
    /// ``connect(to:timeout:)`` this way and waits with ``waitUntilReady(for:timeout:)`` instead.
    /// - Throws: ``SystemError`` from `fcntl(2)`.
    package func setNonBlocking(_ isNonBlocking: Bool) throws {
        try Posix.setNonBlocking(fileDescriptor, isNonBlocking)
    }

    /// Waits with `poll(2)` until the socket is readable or writable as asked, or `timeout` passes.
    ///
    /// Hang-up and error conditions count as ready: the next read or write then reports them.
    /// - Parameters:
    ///   - events: ``EventSet/readable``, ``EventSet/writable`` or both.
    ///   - timeout: The longest wait; zero or negative polls once without waiting.
    /// - Returns: `false` when the timeout passed first.
    /// - Throws: ``SystemError`` from `poll(2)`.
    package func waitUntilReady(for events: EventSet, timeout: Duration) throws -> Bool {
        var requested: Int16 = 0
        if events.contains(.readable) { requested |= Int16(POLLIN) }
        if events.contains(.writable) { requested |= Int16(POLLOUT) }
        let ready = try Posix.poll(fileDescriptor, events: requested, timeoutMilliseconds: timeout.milliseconds)
        return ready != 0
    }
}

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
        try descriptor.waitUntilReady(for: events, timeout: timeout)
    }

    /// Waits with `poll(2)` until the socket is readable or writable as asked, or `deadline` passes.
    ///
    /// Hang-up and error conditions count as ready: the next read or write then reports them.
    /// - Parameters:
    ///   - events: ``EventSet/readable``, ``EventSet/writable`` or both.
    ///   - deadline: When to give up; once it has passed, returns `false` without polling.
    /// - Returns: `false` when the deadline passed first.
    /// - Throws: ``SystemError`` from `poll(2)`.
    package func waitUntilReady(for events: EventSet, until deadline: Deadline) throws -> Bool {
        try descriptor.waitUntilReady(for: events, until: deadline)
    }

    // MARK: - Deadline-driven client I/O on a non-blocking socket

    /// Connects a non-blocking socket, waiting for the handshake until `deadline`; the socket stays non-blocking.
    ///
    /// ```swift
    /// let deadline = Deadline.after(.seconds(2))
    /// let socket = try Socket.connect(to: address, until: deadline)
    /// try socket.writeAll(request, until: deadline)
    /// let reply = try socket.read(maximumCount: 512, until: deadline)
    /// ```
    /// - Throws: ``SystemError``: `ETIMEDOUT` (function `connect`) when the deadline passes first, or the
    ///   connect error itself, e.g. `ECONNREFUSED`.
    package static func connect(to address: SocketAddress, until deadline: Deadline) throws -> Socket {
        let (socket, isConnected) = try startConnecting(to: address)
        if !isConnected {
            guard try socket.waitUntilReady(for: .writable, until: deadline) else {
                throw SystemError(errno: ETIMEDOUT, function: "connect")
            }
            try socket.finishConnect()
        }
        return socket
    }

    /// Writes all of `bytes` on a non-blocking socket, waiting for buffer space until `deadline`.
    /// - Throws: ``SystemError``: `ETIMEDOUT` (function `send`) when the deadline passes first, or the send error.
    package func writeAll(_ bytes: [UInt8], until deadline: Deadline) throws {
        var offset = 0
        while offset < bytes.count {
            let result = try bytes.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            switch result {
            case .processed(let written):
                offset += written
            case .wouldBlock:
                guard try waitUntilReady(for: .writable, until: deadline) else {
                    throw SystemError(errno: ETIMEDOUT, function: "send")
                }
            }
        }
    }

    /// Reads up to `maximumCount` bytes from a non-blocking socket, waiting for at least one until `deadline`.
    /// - Returns: The bytes; an empty array when the peer closed its write side.
    /// - Throws: ``SystemError``: `ETIMEDOUT` (function `read`) when the deadline passes first, or the read error.
    package func read(maximumCount: Int, until deadline: Deadline) throws -> [UInt8] {
        while true {
            if case .processed(let bytes) = try read(maximumCount: maximumCount) {
                return bytes
            }
            guard try waitUntilReady(for: .readable, until: deadline) else {
                throw SystemError(errno: ETIMEDOUT, function: "read")
            }
        }
    }
}

internal import CLinux
import Glibc

/// Raw POSIX calls, each converted at the boundary through ``syscall(_:_:)`` (the NIO `System.swift` pattern).
///
/// Nothing here owns a descriptor; ownership lives in ``FileDescriptor``.
enum Posix {
    /// `close(2)`. Not retried on `EINTR`: on Linux the descriptor is released even then, and a retry could
    /// close a descriptor another thread has just been given.
    static func close(_ fd: CInt) throws {
        if Glibc.close(fd) == -1 {
            let code = Glibc.errno
            if code != EINTR {
                throw SystemError(errno: code, function: "close")
            }
        }
    }

    /// `read(2)` into `buffer`; `.processed(0)` is end of file.
    static func read(_ fd: CInt, into buffer: UnsafeMutableRawBufferPointer) throws -> IOResult<Int> {
        try syscall("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// `write(2)` for non-socket descriptors (eventfd, pipes, files).
    static func write(_ fd: CInt, from buffer: UnsafeRawBufferPointer) throws -> IOResult<Int> {
        try syscall("write") { Glibc.write(fd, buffer.baseAddress, buffer.count) }
    }

    /// `send(2)` with `MSG_NOSIGNAL`, so a peer that went away yields `EPIPE` instead of `SIGPIPE`.
    static func send(_ fd: CInt, from buffer: UnsafeRawBufferPointer) throws -> IOResult<Int> {
        try syscall("send") { Glibc.send(fd, buffer.baseAddress, buffer.count, CInt(MSG_NOSIGNAL)) }
    }

    /// `sendmsg(2)` gathering `vectors` with `MSG_NOSIGNAL` (a `writev` that cannot raise `SIGPIPE`).
    static func sendVectors(_ fd: CInt, _ vectors: UnsafeMutableBufferPointer<iovec>) throws -> IOResult<Int> {
        var header = msghdr()
        header.msg_iov = vectors.baseAddress
        header.msg_iovlen = vectors.count
        return try syscall("sendmsg") { Glibc.sendmsg(fd, &header, CInt(MSG_NOSIGNAL)) }
    }

    /// `socket(2)` of `type` (`SOCK_STREAM`, `SOCK_DGRAM`) with `SOCK_CLOEXEC`, optionally `SOCK_NONBLOCK`.
    static func socket(family: CInt, type: __socket_type, nonBlocking: Bool) throws -> CInt {
        var flags = CInt(type.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        if nonBlocking {
            flags |= CInt(SOCK_NONBLOCK.rawValue)
        }
        return try syscallValue("socket") { Glibc.socket(family, flags, 0) }
    }

    /// `sendto(2)` of one datagram to `address`, with `MSG_NOSIGNAL` like ``send(_:from:)``.
    static func sendTo(
        _ fd: CInt,
        from buffer: UnsafeRawBufferPointer,
        to address: SocketAddress
    ) throws -> IOResult<Int> {
        try address.withSockAddr { pointer, length in
            try syscall("sendto") {
                Glibc.sendto(fd, buffer.baseAddress, buffer.count, CInt(MSG_NOSIGNAL), pointer, length)
            }
        }
    }

    /// `recvfrom(2)` of one datagram into `buffer` (a longer datagram is cut to fit), with its source address.
    static func receiveFrom(
        _ fd: CInt,
        into buffer: UnsafeMutableRawBufferPointer
    ) throws -> IOResult<(count: Int, peer: SocketAddress)> {
        var raw = sockaddr_storage()
        var length: socklen_t = 0
        let result = try withUnsafeMutablePointer(to: &raw) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                try syscall("recvfrom") {
                    // Value-result argument: set again before every attempt, including EINTR retries.
                    length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                    return Glibc.recvfrom(fd, buffer.baseAddress, buffer.count, 0, sockaddrPointer, &length)
                }
            }
        }
        switch result {
        case .processed(let count):
            return .processed((count, try SocketAddress.decoding(raw, function: "recvfrom")))
        case .wouldBlock:
            return .wouldBlock
        }
    }

    /// `setsockopt(2)` with a plain value.
    static func setOption<T: BitwiseCopyable>(_ fd: CInt, level: CInt, name: CInt, value: T) throws {
        var value = value
        _ = try syscallValue("setsockopt") {
            Glibc.setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<T>.size))
        }
    }

    /// `getsockopt(2)` for a plain `CInt` option.
    static func intOption(_ fd: CInt, level: CInt, name: CInt) throws -> CInt {
        var value: CInt = 0
        var length = socklen_t(MemoryLayout<CInt>.size)
        _ = try syscallValue("getsockopt") { Glibc.getsockopt(fd, level, name, &value, &length) }
        return value
    }

    /// `bind(2)`.
    static func bind(_ fd: CInt, to address: SocketAddress) throws {
        _ = try address.withSockAddr { pointer, length in
            try syscallValue("bind") { Glibc.bind(fd, pointer, length) }
        }
    }

    /// `listen(2)`.
    static func listen(_ fd: CInt, backlog: CInt) throws {
        _ = try syscallValue("listen") { Glibc.listen(fd, backlog) }
    }

    /// `connect(2)`; returns `false` when a non-blocking connect is still in progress (`EINPROGRESS`).
    static func connect(_ fd: CInt, to address: SocketAddress) throws -> Bool {
        do {
            _ = try address.withSockAddr { pointer, length in
                try syscallValue("connect") { Glibc.connect(fd, pointer, length) }
            }
            return true
        } catch let error as SystemError where error.errno == EINPROGRESS {
            return false
        }
    }

    /// `getsockname(2)`.
    static func localAddress(_ fd: CInt) throws -> SocketAddress {
        try SocketAddress.fromKernel(function: "getsockname") { pointer, length in
            Glibc.getsockname(fd, pointer, length)
        }
    }

    /// `getpeername(2)`.
    static func peerAddress(_ fd: CInt) throws -> SocketAddress {
        try SocketAddress.fromKernel(function: "getpeername") { pointer, length in
            Glibc.getpeername(fd, pointer, length)
        }
    }

    /// `shutdown(2)` of the write side (sends FIN).
    static func shutdownWrite(_ fd: CInt) throws {
        _ = try syscallValue("shutdown") { Glibc.shutdown(fd, CInt(SHUT_WR)) }
    }

    /// Sets or clears `O_NONBLOCK` with `fcntl(2)`.
    static func setNonBlocking(_ fd: CInt, _ isNonBlocking: Bool) throws {
        let flags = try syscallValue("fcntl") { Glibc.fcntl(fd, F_GETFL) }
        let updated = isNonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        _ = try syscallValue("fcntl") { Glibc.fcntl(fd, F_SETFL, updated) }
    }

    /// `poll(2)` on one descriptor; returns the revents, or 0 on timeout.
    static func poll(_ fd: CInt, events: Int16, timeoutMilliseconds: CInt) throws -> Int16 {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let ready = try syscallValue("poll") { Glibc.poll(&entry, 1, timeoutMilliseconds) }
        return ready == 0 ? 0 : entry.revents
    }

    /// `poll(2)` on one descriptor until `deadline`; returns the revents, or 0 once the deadline has passed.
    ///
    /// The timeout is worked out again from `deadline` on every `EINTR` retry, so signals cannot stretch the wait.
    static func poll(_ fd: CInt, events: Int16, deadline: Deadline) throws -> Int16 {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let ready = try syscallValue("poll") { Glibc.poll(&entry, 1, (deadline - Deadline.now()).milliseconds) }
        return ready == 0 ? 0 : entry.revents
    }

    /// `open(2)` of `path` read-only with `O_CLOEXEC` (blocking: for small files such as `/etc/resolv.conf`).
    static func openForReading(_ path: String) throws -> CInt {
        try syscallValue("open") { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
    }

    /// `clock_gettime(CLOCK_MONOTONIC)` in nanoseconds.
    static func monotonicNanoseconds() -> UInt64 {
        var spec = timespec()
        // CLOCK_MONOTONIC cannot fail with a valid pointer (clock_gettime(2) lists only EFAULT/EINVAL/EPERM).
        _ = clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}

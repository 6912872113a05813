internal import CLinux
import Glibc

/// Raw Linux-only calls (epoll, eventfd, timerfd, signalfd, accept4) through the `CLinux` shims.
///
/// Like ``Posix``, every call goes through ``syscall(_:_:)``; nothing here owns a descriptor.
enum Linux {
    /// `epoll_create1(EPOLL_CLOEXEC)`.
    static func epollCreate() throws -> CInt {
        try syscallValue("epoll_create1") { CLinux_epoll_create1(CInt(EPOLL_CLOEXEC)) }
    }

    /// `epoll_ctl(2)`; `event` is ignored by the kernel for `EPOLL_CTL_DEL`.
    static func epollControl(_ epfd: CInt, operation: CInt, fd: CInt, event: inout epoll_event) throws {
        _ = try syscallValue("epoll_ctl") { CLinux_epoll_ctl(epfd, operation, fd, &event) }
    }

    /// `epoll_wait(2)`; returns how many entries of `events` were filled (0 on timeout).
    static func epollWait(
        _ epfd: CInt,
        events: UnsafeMutableBufferPointer<epoll_event>,
        timeoutMilliseconds: CInt
    ) throws -> Int {
        let count = try syscallValue("epoll_wait") {
            CLinux_epoll_wait(epfd, events.baseAddress, CInt(events.count), timeoutMilliseconds)
        }
        return Int(count)
    }

    /// `eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)`.
    static func eventfd() throws -> CInt {
        let flags = CInt(EFD_NONBLOCK) | CInt(EFD_CLOEXEC)
        return try syscallValue("eventfd") { CLinux_eventfd(0, flags) }
    }

    /// `timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)`.
    static func timerfdCreate() throws -> CInt {
        let flags = CInt(TFD_NONBLOCK) | CInt(TFD_CLOEXEC)
        return try syscallValue("timerfd_create") { CLinux_timerfd_create(CLOCK_MONOTONIC, flags) }
    }

    /// Arms a timerfd to expire once at the absolute monotonic `deadline`.
    static func timerfdArm(_ fd: CInt, deadline: Deadline) throws {
        let nanoseconds = deadline.uptimeNanoseconds
        var value = itimerspec()
        value.it_value.tv_sec = Int(nanoseconds / 1_000_000_000)
        value.it_value.tv_nsec = Int(nanoseconds % 1_000_000_000)
        _ = try syscallValue("timerfd_settime") {
            CLinux_timerfd_settime(fd, CInt(TFD_TIMER_ABSTIME), &value, nil)
        }
    }

    /// `signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC)` for `signals`.
    static func signalfd(_ signals: [CInt]) throws -> CInt {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals {
            sigaddset(&mask, signal)
        }
        let flags = CInt(SFD_NONBLOCK) | CInt(SFD_CLOEXEC)
        return try syscallValue("signalfd") { CLinux_signalfd(-1, &mask, flags) }
    }

    /// Size of one `struct signalfd_siginfo` record read from a signalfd.
    static var signalInfoSize: Int { MemoryLayout<signalfd_siginfo>.size }

    /// Reads the signal number from a `signalfd_siginfo` record.
    static func signalNumber(fromRecord record: UnsafeRawBufferPointer) -> CInt {
        CInt(bitPattern: record.loadUnaligned(as: signalfd_siginfo.self).ssi_signo)
    }

    /// `accept4(2)` with `SOCK_NONBLOCK | SOCK_CLOEXEC`; no peer address is copied out.
    static func accept(_ fd: CInt) throws -> IOResult<CInt> {
        let flags = CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        return try syscall("accept4") { CLinux_accept4(fd, nil, nil, flags) }
    }

    /// `accept4(2)` with `SOCK_NONBLOCK | SOCK_CLOEXEC`, copying the peer's address into `peer` (which saves the
    /// `getpeername` call a server would make next).
    static func accept(_ fd: CInt, peer: inout sockaddr_storage) throws -> IOResult<CInt> {
        let flags = CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        var length: socklen_t = 0
        return try withUnsafeMutablePointer(to: &peer) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                try syscall("accept4") {
                    // Value-result argument: set again before every attempt, including EINTR retries.
                    length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                    return CLinux_accept4(fd, address, &length, flags)
                }
            }
        }
    }
}

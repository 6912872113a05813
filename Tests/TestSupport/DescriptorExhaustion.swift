import Dispatch

/// For tests that lower `RLIMIT_NOFILE` until no descriptor is free (in an exit test's child process).
package enum DescriptorExhaustion {
    /// Makes libdispatch open its epoll and timer descriptors now. It opens them at the first timer anyone in the
    /// process arms, the test library included, and traps when it cannot: SIGILL, with no output, since Swift's
    /// backtracer needs a descriptor too. Call before lowering the limit.
    package static func prepare() {
        let armed = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(1)) { armed.signal() }
        DispatchQueue.global().asyncAfter(wallDeadline: .now() + .milliseconds(1)) { armed.signal() }
        armed.wait()
        armed.wait()
    }
}

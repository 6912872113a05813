import Dispatch

/// For tests that lower `RLIMIT_NOFILE` until no descriptor is free (in an exit test's child process).
package enum DescriptorExhaustion {
    /// Makes libdispatch open its epoll and timer descriptors now, one per clock it has (uptime, wall, and the
    /// continuous clock Swift concurrency's sleeps use). It opens each at the first timer anyone in the process arms,
    /// the test library included, and traps when it cannot: SIGILL, with no output, since Swift's backtracer needs a
    /// descriptor too. Call before lowering the limit.
    ///
    /// What this cannot prevent: once a second, while a global queue has work pending, libdispatch's thread-pool
    /// monitor opens `/proc/<tid>/stat` for each worker thread and traps when that fails ("workq: registered worker
    /// exited prematurely"). Keep the time without descriptors short.
    package static func prepare() {
        let armed = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(1)) { armed.signal() }
        DispatchQueue.global().asyncAfter(wallDeadline: .now() + .milliseconds(1)) { armed.signal() }
        Task.detached {
            try? await Task.sleep(for: .milliseconds(1))
            armed.signal()
        }
        for _ in 0..<3 { armed.wait() }
    }
}

internal import CLinux
import Glibc
import Synchronization

/// One thread's event loop: epoll readiness, a queue of closures from other threads (woken by an eventfd) and a
/// monotonic timer heap.
///
/// ```swift
/// let group = try EventLoopGroup(numberOfLoops: 2)
/// let loop = group.next()
/// loop.execute {
///     let timer = loop.scheduleTimer(after: .seconds(30)) { /* idle timeout */ }
///     try? loop.register(handler, descriptor: socket.fileDescriptor, interest: .readable)
/// }
/// ```
///
/// Each iteration: wait for readiness (timeout = earliest timer), dispatch handlers, fire expired timers, run queued
/// closures. Registration and timer methods must be called on the loop thread (use ``execute(_:)`` from elsewhere).
///
/// Within one wait's events, handlers that were dispatched before go first, and a handler's first readiness after
/// them: work in progress (a request on an established connection) does not queue behind work not yet started (a
/// new connection's TLS handshake, the costliest step a server takes). Every event of the wait is still handled
/// before the next wait, so nothing is put off for longer than one batch.
///
/// `@unchecked Sendable`: the task queue and flags are guarded by the `shared` mutex; every other stored property
/// is touched only on the loop thread, which the loop-thread-only methods check with a precondition.
package final class EventLoop: @unchecked Sendable {
    private struct SharedState {
        var tasks: [@Sendable () -> Void] = []
        var isWakeupPending = false
        var isShutdownRequested = false
        var isStopped = false
    }

    private struct Registration {
        let handler: any EventHandler
        let generation: UInt32
        var interest: EventSet
        /// Whether the handler was dispatched before; its first readiness waits for the rest of its batch.
        var hasStarted = false
    }

    /// A label for logs and thread names.
    package let name: String
    private let shared = Mutex(SharedState())
    private let ownerThread = Atomic<UInt>(0)
    private let wakeup: FileDescriptor
    private let wakeupToken: UInt64
    // Loop-thread-only state:
    private let selector: Selector
    private var registrations: [Registration?] = []
    private var nextGeneration: UInt32 = 1
    private var timers = TimerHeap<() -> Void>()
    /// The events of the current batch whose handlers had not started (see the type's documentation).
    private var firstEvents: [(token: UInt64, events: EventSet)] = []

    /// Creates a loop; it does nothing until ``run()`` is called on some thread.
    package init(name: String = "EventLoop") throws {
        self.name = name
        self.selector = try Selector()
        self.wakeup = FileDescriptor(rawValue: try Linux.eventfd())
        // Generation 0 is never given to a handler, so this token cannot collide with one.
        self.wakeupToken = UInt64(UInt32(bitPattern: wakeup.rawValue))
        try selector.register(fd: wakeup.rawValue, interest: .readable, token: wakeupToken)
    }

    /// Whether the caller is running on this loop's thread.
    package var inEventLoop: Bool {
        ownerThread.load(ordering: .acquiring) == pthread_self()
    }

    /// Queues `work` to run on the loop thread (FIFO); callable from any thread. Work queued after the loop has
    /// stopped is dropped.
    package func execute(_ work: @escaping @Sendable () -> Void) {
        let mustWake = shared.withLock { state -> Bool in
            guard !state.isStopped else { return false }
            state.tasks.append(work)
            defer { state.isWakeupPending = true }
            return !state.isWakeupPending
        }
        if mustWake {
            signalWakeup()
        }
    }

    /// Asks the loop to stop after its current iteration; callable from any thread. Closures queued before this
    /// call still run; registered handlers and pending timers are dropped.
    package func shutdown() {
        shared.withLock { $0.isShutdownRequested = true }
        signalWakeup()
    }

    /// Runs the loop on the calling thread until ``shutdown()``.
    /// - Throws: ``SystemError`` when `epoll_wait` fails (not for handler errors, which handlers own).
    package func run() throws {
        let previous = ownerThread.exchange(pthread_self(), ordering: .acquiringAndReleasing)
        precondition(previous == 0, "EventLoop.run() called twice")
        defer {
            shared.withLock { state in
                state.isStopped = true
                state.tasks.removeAll()
            }
            registrations.removeAll()
            timers.removeAll()
        }
        while true {
            try selector.wait(timeoutMilliseconds: nextTimeoutMilliseconds()) { token, events in
                dispatch(token: token, events: events, startsHandler: false)
            }
            if !firstEvents.isEmpty {
                for (token, events) in firstEvents {
                    dispatch(token: token, events: events, startsHandler: true)
                }
                firstEvents.removeAll(keepingCapacity: true)
            }
            fireExpiredTimers()
            let (tasks, shouldStop) = shared.withLock { state in
                defer {
                    state.tasks.removeAll(keepingCapacity: true)
                    state.isWakeupPending = false
                }
                return (state.tasks, state.isShutdownRequested)
            }
            for task in tasks {
                task()
            }
            if shouldStop {
                return
            }
        }
    }

    // MARK: - Registration (loop thread only)

    /// Registers `handler` for readiness of `descriptor`.
    /// - Throws: ``SystemError`` from `epoll_ctl` (`EEXIST` when already registered).
    package func register(_ handler: any EventHandler, descriptor: CInt, interest: EventSet) throws {
        preconditionInEventLoop()
        let generation = nextGeneration
        nextGeneration = nextGeneration == .max ? 1 : nextGeneration + 1
        try selector.register(fd: descriptor, interest: interest, token: Self.token(descriptor, generation))
        let index = Int(descriptor)
        if registrations.count <= index {
            registrations.append(contentsOf: repeatElement(nil, count: index + 1 - registrations.count))
        }
        registrations[index] = Registration(handler: handler, generation: generation, interest: interest)
    }

    /// Changes the interest of a registered `descriptor`; a no-op when unchanged.
    package func modify(descriptor: CInt, interest: EventSet) throws {
        preconditionInEventLoop()
        let index = Int(descriptor)
        guard index < registrations.count, var registration = registrations[index] else {
            throw SystemError(errno: ENOENT, function: "epoll_ctl")
        }
        guard registration.interest != interest else { return }
        try selector.modify(
            fd: descriptor,
            interest: interest,
            was: registration.interest,
            token: Self.token(descriptor, registration.generation)
        )
        registration.interest = interest
        registrations[index] = registration
    }

    /// Stops watching `descriptor` and releases its handler. Call before closing the descriptor.
    package func deregister(descriptor: CInt) throws {
        preconditionInEventLoop()
        let index = Int(descriptor)
        guard index < registrations.count, registrations[index] != nil else {
            throw SystemError(errno: ENOENT, function: "epoll_ctl")
        }
        registrations[index] = nil
        try selector.deregister(fd: descriptor)
    }

    /// The number of registered handlers (loop thread only).
    package var registrationCount: Int {
        preconditionInEventLoop()
        return registrations.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
    }

    // MARK: - Timers (loop thread only)

    /// Runs `work` on the loop once the monotonic clock reaches `deadline`.
    @discardableResult
    package func scheduleTimer(deadline: Deadline, _ work: @escaping () -> Void) -> TimerID {
        preconditionInEventLoop()
        return timers.insert(deadline: deadline, payload: work)
    }

    /// Runs `work` on the loop after `delay`.
    @discardableResult
    package func scheduleTimer(after delay: Duration, _ work: @escaping () -> Void) -> TimerID {
        scheduleTimer(deadline: .now() + delay, work)
    }

    /// Cancels a timer; returns `false` when it already fired or was cancelled.
    @discardableResult
    package func cancelTimer(_ id: TimerID) -> Bool {
        preconditionInEventLoop()
        return timers.remove(id) != nil
    }

    // MARK: - Internals

    private static func token(_ descriptor: CInt, _ generation: UInt32) -> UInt64 {
        UInt64(generation) << 32 | UInt64(UInt32(bitPattern: descriptor))
    }

    private func preconditionInEventLoop() {
        precondition(inEventLoop, "must be called on the event loop's thread; use execute(_:)")
    }

    private func signalWakeup() {
        var one: UInt64 = 1
        // EAGAIN means the counter is already non-zero, so the loop is going to wake anyway.
        _ = try? withUnsafeBytes(of: &one) { try Posix.write(wakeup.rawValue, from: $0) }
    }

    private func nextTimeoutMilliseconds() -> CInt {
        guard let earliest = timers.earliestDeadline else {
            return -1
        }
        return (earliest - .now()).milliseconds
    }

    private func fireExpiredTimers() {
        guard !timers.isEmpty else { return }
        let now = Deadline.now()
        while let (_, work) = timers.popExpired(now: now) {
            work()
        }
    }

    /// Calls the handler of `token` for `events`; when it has not started and `startsHandler` is false, keeps the
    /// events in ``firstEvents`` for the end of the batch instead.
    private func dispatch(token: UInt64, events: EventSet, startsHandler: Bool) {
        if token == wakeupToken {
            var counter: UInt64 = 0
            _ = try? withUnsafeMutableBytes(of: &counter) { try Posix.read(wakeup.rawValue, into: $0) }
            return
        }
        let index = Int(UInt32(truncatingIfNeeded: token))
        let generation = UInt32(truncatingIfNeeded: token >> 32)
        // One load for a handler in progress (every event of a kept-alive connection); a stale token is sorted by its
        // slot's flag and dropped by `current()` below, whichever pass it lands in.
        if index < registrations.count, registrations[index]?.hasStarted == false {
            guard startsHandler else {
                firstEvents.append((token, events))
                return
            }
            if registrations[index]?.generation == generation {
                registrations[index]?.hasStarted = true
            }
        }
        func current() -> (any EventHandler)? {
            guard index < registrations.count, let registration = registrations[index],
                registration.generation == generation
            else { return nil }
            return registration.handler
        }
        if events.contains(.writable), let handler = current() {
            handler.writable()
        }
        if events.contains(.readable), let handler = current() {
            handler.readable()
        }
        if events.contains(.hangup), let handler = current() {
            handler.hangup()
        }
    }
}

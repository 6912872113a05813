import Glibc
import Synchronization
import SystemIO

@testable import WebServer

/// A ``ConnectionEventLoop`` the test drives: a fake monotonic clock, timers that fire as the clock is advanced,
/// and a record of interest changes and deregistration.
///
/// `@unchecked Sendable`: work posted from other threads goes through the `posted` mutex; everything else is
/// touched only on the thread that created the loop (the test's), as `inEventLoop` reports.
final class ManualEventLoop: ConnectionEventLoop, @unchecked Sendable {
    private(set) var now: UInt64
    /// Every interest set the connection asked for, in order.
    private(set) var interestChanges: [EventSet] = []
    private(set) var isDeregistered = false
    private var timers = TimerHeap<() -> Void>()
    private let posted = Mutex<[@Sendable () -> Void]>([])
    private let owner = pthread_self()

    init(now: UInt64 = 1_000_000_000_000) {
        self.now = now
    }

    /// The deadline of the armed timer, if any.
    var timerDeadline: UInt64? { timers.earliestDeadline?.uptimeNanoseconds }
    /// How many timers are armed.
    var timerCount: Int { timers.count }

    var inEventLoop: Bool { pthread_equal(owner, pthread_self()) != 0 }

    func execute(_ work: @escaping @Sendable () -> Void) {
        posted.withLock { $0.append(work) }
    }

    func modify(descriptor: CInt, interest: EventSet) throws {
        interestChanges.append(interest)
    }

    func deregister(descriptor: CInt) throws {
        isDeregistered = true
    }

    @discardableResult
    func scheduleTimer(deadline: Deadline, _ work: @escaping () -> Void) -> TimerID {
        timers.insert(deadline: deadline, payload: work)
    }

    @discardableResult
    func cancelTimer(_ id: TimerID) -> Bool {
        timers.remove(id) != nil
    }

    /// Moves the clock forward and fires the timers that expired, in order.
    func advance(seconds: Double) {
        now += UInt64(seconds * 1_000_000_000)
        while let (_, work) = timers.popExpired(now: Deadline(uptimeNanoseconds: now)) {
            work()
        }
    }

    /// Waits up to `timeout` for work posted from another thread (a pooled responder) and runs it.
    /// - Returns: How many closures ran.
    @discardableResult
    func runPostedWork(timeout: Duration = .seconds(5)) -> Int {
        let end = ContinuousClock.now + timeout
        while true {
            let work = posted.withLock { work in
                defer { work.removeAll() }
                return work
            }
            if !work.isEmpty || ContinuousClock.now >= end {
                for item in work { item() }
                return work.count
            }
            usleep(1_000)
        }
    }
}

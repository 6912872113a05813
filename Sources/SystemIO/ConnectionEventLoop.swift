/// What a connection shell needs from its event loop: the monotonic clock, interest changes, one timer,
/// deregistration, and a way back onto the loop thread for work that runs on a pool.
///
/// ``EventLoop`` conforms; tests drive a server's connection shell (the web server's, the SMTP listener's) with a
/// manual loop and a fake clock instead. Apart from ``execute(_:)``, every requirement is called on the loop's
/// thread.
package protocol ConnectionEventLoop: AnyObject, Sendable {
    /// Monotonic nanoseconds: the clock the connection's deadlines are measured in.
    var now: UInt64 { get }
    /// Whether the caller runs on the loop's thread.
    var inEventLoop: Bool { get }
    /// Queues `work` to run on the loop thread; callable from any thread.
    func execute(_ work: @escaping @Sendable () -> Void)
    /// Changes the interest set of a registered descriptor.
    func modify(descriptor: CInt, interest: EventSet) throws
    /// Stops watching a descriptor (before it is closed).
    func deregister(descriptor: CInt) throws
    /// Runs `work` on the loop once the monotonic clock reaches `deadline`.
    @discardableResult
    func scheduleTimer(deadline: Deadline, _ work: @escaping () -> Void) -> TimerID
    /// Cancels a timer; `false` when it already fired.
    @discardableResult
    func cancelTimer(_ id: TimerID) -> Bool
}

extension EventLoop: ConnectionEventLoop {
    /// `Deadline.now()`, in nanoseconds.
    package var now: UInt64 { Deadline.now().uptimeNanoseconds }
}

/// Carries a loop-confined value through a `@Sendable` closure back to its own loop.
///
/// `@unchecked Sendable`: the value is only touched on `loop`'s thread, which `value` checks with a
/// precondition (as NIO's `NIOLoopBound` does); no lock is needed because there is no concurrent access.
///
/// ```swift
/// let bound = LoopBound(connection, loop: loop)
/// pool.submit { let result = work(); loop.execute { bound.value.finished(result) } }
/// ```
package struct LoopBound<Value, Loop: ConnectionEventLoop>: @unchecked Sendable {
    private let storage: Value
    private let loop: Loop

    /// Wraps `value`; call on `loop`'s thread.
    package init(_ value: Value, loop: Loop) {
        precondition(loop.inEventLoop, "LoopBound created off its loop")
        storage = value
        self.loop = loop
    }

    /// The value; only on `loop`'s thread.
    package var value: Value {
        precondition(loop.inEventLoop, "LoopBound accessed off its loop")
        return storage
    }
}

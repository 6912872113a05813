import Synchronization

/// What the demo must stop on exit, in reverse order of starting; safe to run from the signal thread.
final class DemoCleanup: Sendable {
    private let actions = Mutex<[@Sendable () -> Void]>([])

    /// Registers `action` to run at exit (before those registered earlier).
    func add(_ action: @escaping @Sendable () -> Void) {
        actions.withLock { $0.append(action) }
    }

    /// Runs every registered action once, newest first.
    func runAll() {
        let pending = actions.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
        for action in pending.reversed() { action() }
    }
}

/// A value handed to the cleanup closures although its type is not `Sendable`.
///
/// Used for `ServerProcess`, whose only method called from there, `stop()`, goes through `ManagedProcess.terminate`,
/// which holds that class's lock.
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
}

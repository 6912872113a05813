import Foundation
import Synchronization
import Testing

@testable import SystemIO

/// A thread-safe list of recorded values.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) {
        values.withLock { $0.append(value) }
    }

    var all: [Value] {
        values.withLock { $0 }
    }
}

/// Waits for a condition signalled from another thread, failing after a deadline (no sleeping).
struct Latch: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    func signal() {
        semaphore.signal()
    }

    /// Returns false when the timeout passed first.
    func wait(timeout: Duration = .seconds(10)) -> Bool {
        semaphore.wait(timeout: .now() + .milliseconds(Int(timeout.components.seconds * 1000))) == .success
    }
}

/// Runs `body` on `loop` and waits for its result.
func onLoop<T: Sendable>(_ loop: EventLoop, _ body: @escaping @Sendable () throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let latch = Latch()
    loop.execute {
        let value = Result { try body() }
        result.withLock { $0 = value }
        latch.signal()
    }
    guard latch.wait() else {
        throw SystemError(errno: ETIMEDOUT, function: "onLoop")
    }
    return try result.withLock { $0 }!.get()
}

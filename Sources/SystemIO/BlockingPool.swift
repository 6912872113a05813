import Foundation

/// A small fixed pool of threads for work that blocks (libpq in blocking mode, disk reads), so it never runs on
/// an event loop thread.
///
/// ```swift
/// pool.submit({ try store.loadSnapshot() }, completingOn: loop) { result in /* back on the loop */ }
/// ```
///
/// `@unchecked Sendable`: `queue` and `isShutdown` are guarded by `condition`'s lock.
package final class BlockingPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var isShutdown = false
    private let finished = DispatchGroup()
    /// The number of worker threads.
    package let threadCount: Int
    /// Most items ``trySubmit(_:)`` lets wait for a thread.
    package let maximumQueued: Int

    /// Starts `numberOfThreads` workers.
    /// - Parameter maximumQueued: how many items ``trySubmit(_:)`` lets wait; ``submit(_:)`` is not bounded.
    package init(numberOfThreads: Int = 2, name: String = "BlockingPool", maximumQueued: Int = .max) {
        precondition(numberOfThreads > 0, "a BlockingPool needs at least one thread")
        self.threadCount = numberOfThreads
        self.maximumQueued = maximumQueued
        for index in 0..<numberOfThreads {
            finished.enter()
            let thread = Thread { [self] in
                defer { finished.leave() }
                workerLoop()
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Queues `work` to run on a pool thread. Work submitted after ``shutdown()`` is dropped.
    package func submit(_ work: @Sendable @escaping () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        guard !isShutdown else { return }
        queue.append(work)
        condition.signal()
    }

    /// Queues `work` unless ``maximumQueued`` items already wait (or the pool is shut down), so that a burst is
    /// refused at once instead of waiting behind work that may take seconds.
    /// - Returns: whether `work` was queued.
    package func trySubmit(_ work: @Sendable @escaping () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !isShutdown, queue.count < maximumQueued else { return false }
        queue.append(work)
        condition.signal()
        return true
    }

    /// Runs `work` on a pool thread and delivers its result to `completion` on `loop`.
    package func submit<Value: Sendable>(
        _ work: @Sendable @escaping () throws -> Value,
        completingOn loop: EventLoop,
        _ completion: @Sendable @escaping (Result<Value, any Error>) -> Void
    ) {
        submit {
            let result = Result { try work() }
            loop.execute { completion(result) }
        }
    }

    /// Finishes the queued work, then stops and joins every worker.
    package func shutdown() {
        condition.lock()
        isShutdown = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    private func workerLoop() {
        while true {
            condition.lock()
            while queue.isEmpty && !isShutdown {
                condition.wait()
            }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            let work = queue.removeFirst()
            condition.unlock()
            work()
        }
    }
}

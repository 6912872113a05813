import Foundation
import Synchronization

/// A fixed set of ``EventLoop``s, each running on its own thread.
///
/// ```swift
/// let group = try EventLoopGroup()          // one loop per core
/// let loop = group.next()                   // round robin
/// defer { try? group.shutdownGracefully() }
/// ```
package final class EventLoopGroup: Sendable {
    /// The loops, in creation order.
    package let loops: [EventLoop]
    private let cursor = Atomic<Int>(0)
    private let finished = DispatchGroup()
    private let failures = Mutex<[SystemError]>([])

    /// The default loop count: the number of online cores.
    package static var defaultLoopCount: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Creates `numberOfLoops` loops and starts a thread for each.
    /// - Throws: ``SystemError`` when an epoll instance or eventfd cannot be created.
    package init(numberOfLoops: Int = EventLoopGroup.defaultLoopCount, name: String = "EventLoop") throws {
        precondition(numberOfLoops > 0, "an EventLoopGroup needs at least one loop")
        self.loops = try (0..<numberOfLoops).map { try EventLoop(name: "\(name)-\($0)") }
        for loop in loops {
            finished.enter()
            let thread = Thread { [self] in
                defer { finished.leave() }
                do {
                    try loop.run()
                } catch let error as SystemError {
                    self.failures.withLock { $0.append(error) }
                } catch {
                    self.failures.withLock { $0.append(SystemError(errno: EIO, function: "EventLoop.run")) }
                }
            }
            thread.name = loop.name
            thread.start()
        }
    }

    /// The next loop in round-robin order.
    package func next() -> EventLoop {
        let index = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[index % loops.count]
    }

    /// Stops every loop and waits until all their threads have exited.
    /// - Throws: The first ``SystemError`` a loop stopped with, if any.
    package func shutdownGracefully() throws {
        for loop in loops {
            loop.shutdown()
        }
        finished.wait()
        if let failure = failures.withLock({ $0.first }) {
            throw failure
        }
    }
}

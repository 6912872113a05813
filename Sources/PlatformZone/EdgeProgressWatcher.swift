import Foundation
package import Logging
package import Store
import Synchronization

/// Keeps, from a small thread of its own, how far the live edges have come through the change log, so the
/// zone announces a policy id only once every live edge serves that policy (RFC 8461 §8.1).
///
/// Edges silent for longer than the window are not waited for (and counted, for metrics). While the database
/// is unreachable the last known progress stays in force.
package final class EdgeProgressWatcher: Sendable {
    private let read: @Sendable () throws -> EdgeProgress
    private let interval: Duration
    private let logger: Logger
    private let state = Mutex<EdgeProgress?>(nil)
    private let stopSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(false)

    /// - Parameters:
    ///   - read: the current progress (`StoreZoneSource.edgeProgress(window:)`).
    ///   - interval: how often it is read.
    package init(
        interval: Duration = .milliseconds(250),
        logger: Logger,
        read: @escaping @Sendable () throws -> EdgeProgress
    ) {
        self.read = read
        self.interval = interval
        self.logger = logger
    }

    /// The last progress read; nil before the first successful read.
    package var progress: EdgeProgress? { state.withLock { $0 } }

    /// Reads once on the calling thread (so the zone starts with the edges' positions), then on a thread.
    package func start() {
        refresh()
        running.store(true, ordering: .relaxed)
        let thread = Thread { [self] in
            let milliseconds = Int(
                interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000
            )
            while stopSignal.wait(timeout: .now() + .milliseconds(max(1, milliseconds))) == .timedOut {
                refresh()
            }
            finished.signal()
        }
        thread.name = "zone-edge-progress"
        thread.start()
    }

    /// Stops reading and waits for the thread.
    package func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        stopSignal.signal()
        finished.wait()
    }

    private func refresh() {
        do {
            let progress = try read()
            state.withLock { $0 = progress }
        } catch {
            logger.debug("cannot read the edges' progress; keeping the last known", ["error": "\(error)"])
        }
    }
}

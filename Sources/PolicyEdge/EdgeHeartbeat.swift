import Foundation
package import Logging
package import SnapshotSync
import Synchronization

/// Reports, from a small thread of its own, the change-log position the edge has applied: at once when it
/// moves (checked every `interval`), and every `refresh` regardless, so the DNS role can tell a live edge
/// from a silent one (RFC 8461 §8.1: a new id is announced only once every live edge serves its policy).
///
/// A failed report is logged and retried on the next tick; it never affects serving.
package final class EdgeHeartbeat: Sendable {
    private let follower: any SnapshotFollowing
    private let record: @Sendable (Int64) throws -> Void
    private let interval: Duration
    private let refresh: Duration
    private let logger: Logger
    private let stopSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(false)

    /// - Parameters:
    ///   - record: writes the position (`EdgeHeartbeatRepository.record` through the edge's store).
    ///   - interval: how often the position is checked.
    ///   - refresh: the longest time between two reports.
    package init(
        follower: any SnapshotFollowing,
        record: @escaping @Sendable (Int64) throws -> Void,
        interval: Duration = .milliseconds(200),
        refresh: Duration = .seconds(5),
        logger: Logger
    ) {
        self.follower = follower
        self.record = record
        self.interval = interval
        self.refresh = refresh
        self.logger = logger
    }

    /// Starts reporting.
    package func start() {
        running.store(true, ordering: .relaxed)
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "edge-heartbeat"
        thread.start()
    }

    /// Stops reporting and waits for the thread.
    package func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        stopSignal.signal()
        finished.wait()
    }

    private func run() {
        var reported: Int64 = -1
        var lastReport = ContinuousClock.now - refresh
        let milliseconds = Int(
            interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000
        )
        repeat {
            let applied = follower.appliedSequence
            guard applied > 0 else { continue }
            guard applied != reported || ContinuousClock.now - lastReport >= refresh else { continue }
            do {
                try record(applied)
                reported = applied
                lastReport = .now
            } catch {
                logger.debug("cannot record the edge heartbeat", ["error": "\(error)"])
            }
        } while stopSignal.wait(timeout: .now() + .milliseconds(max(1, milliseconds))) == .timedOut
    }
}

import Foundation
package import Logging
import SnapshotSync
package import Store
import Synchronization

/// Decides, from a small thread of its own, what the zone announces: every `interval` it combines the
/// current snapshot with the edges' progress (read from the database every `progressInterval`) and hands a
/// new ``ZoneContent`` to `publish` when either changed.
///
/// Edges silent for longer than the window the progress read uses are not waited for. While the database is
/// unreachable the last known progress stays in force (the snapshot does not change then either).
package final class ZoneAnnouncer: Sendable {
    private struct State: Sendable {
        var progress: EdgeProgress?
        var progressReadAt: ContinuousClock.Instant?
        var published: ZoneContent?
        /// What `published` was made from; compared instead of whole snapshots, which can be large.
        var publishedKey: Key?
    }

    private struct Key: Sendable, Equatable {
        var sequence: Int64
        var builtAt: Date
        var minimumApplied: Int64?
    }

    private let holder: ZoneSnapshotHolder
    private let readProgress: @Sendable () throws -> EdgeProgress
    private let publish: @Sendable (ZoneContent) -> Void
    private let interval: Duration
    private let progressInterval: Duration
    private let logger: Logger
    private let state = Mutex(State())
    private let stopSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(false)

    /// - Parameters:
    ///   - readProgress: the edges' progress (`StoreZoneSource.edgeProgress(window:)`).
    ///   - publish: makes a content current (`AuthoritativeDNSServer.updateContent`).
    package init(
        holder: ZoneSnapshotHolder,
        interval: Duration = .milliseconds(50),
        progressInterval: Duration = .milliseconds(200),
        logger: Logger,
        readProgress: @escaping @Sendable () throws -> EdgeProgress,
        publish: @escaping @Sendable (ZoneContent) -> Void
    ) {
        self.holder = holder
        self.readProgress = readProgress
        self.publish = publish
        self.interval = interval
        self.progressInterval = progressInterval
        self.logger = logger
    }

    /// The last progress read; nil before the first successful read.
    package var progress: EdgeProgress? { state.withLock { $0.progress } }

    /// What is announced now.
    package var announced: ZoneContent? { state.withLock { $0.published } }

    /// Announces once on the calling thread, then keeps the announcement current on a thread.
    package func start() {
        tick()
        running.store(true, ordering: .relaxed)
        let thread = Thread { [self] in
            let milliseconds = Int(
                interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000
            )
            while stopSignal.wait(timeout: .now() + .milliseconds(max(1, milliseconds))) == .timedOut {
                tick()
            }
            finished.signal()
        }
        thread.name = "zone-announcer"
        thread.start()
    }

    /// Stops and waits for the thread.
    package func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        stopSignal.signal()
        finished.wait()
    }

    /// One round: refresh the progress when due, publish when the content changed.
    package func tick() {
        let due = state.withLock { state in
            state.progressReadAt.map { ContinuousClock.now - $0 >= progressInterval } ?? true
        }
        if due {
            do {
                let progress = try readProgress()
                state.withLock {
                    $0.progress = progress
                    $0.progressReadAt = .now
                }
            } catch {
                state.withLock { $0.progressReadAt = .now }
                logger.debug("cannot read the edges' progress; keeping the last known", ["error": "\(error)"])
            }
        }
        let snapshot = holder.current
        let content: ZoneContent? = state.withLock { state in
            let minimum = state.progress?.minimumApplied
            let key = Key(sequence: snapshot.sequence, builtAt: snapshot.builtAt, minimumApplied: minimum)
            guard state.publishedKey != key else { return nil }
            let content = ZoneContent(snapshot: snapshot, minimumApplied: minimum)
            state.published = content
            state.publishedKey = key
            return content
        }
        if let content { publish(content) }
    }
}

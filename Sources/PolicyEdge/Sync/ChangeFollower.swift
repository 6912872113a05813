import Foundation
package import Logging
import Synchronization

/// Keeps a ``SnapshotHolder`` current: a full load at start, then the hosts named by new change-log rows
/// (woken by `NOTIFY`), and a full reconcile every `reconcileInterval` so a missed notification heals.
///
/// While PostgreSQL is unreachable the last snapshot keeps being served; the follower retries with
/// exponential backoff (capped) and catches up from the change log when the database returns. Each successful
/// update is also written to the snapshot file (at most every `persistInterval`) for cold starts in an outage.
package final class ChangeFollower: Sendable {
    package struct Configuration: Sendable {
        package var reconcileInterval: Duration
        package var persistInterval: Duration
        package var maximumBackoff: Duration

        package init(
            reconcileInterval: Duration = .seconds(60),
            persistInterval: Duration = .seconds(5),
            maximumBackoff: Duration = .seconds(10)
        ) {
            self.reconcileInterval = reconcileInterval
            self.persistInterval = persistInterval
            self.maximumBackoff = maximumBackoff
        }
    }

    private let source: any SnapshotSource
    private let holder: SnapshotHolder
    private let file: SnapshotFile?
    private let configuration: Configuration
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    /// The first snapshot still needs writing to the file; the follower thread does it, off the start-up path.
    private let initialPersistPending = Atomic<Bool>(false)
    /// Change rows the start-up snapshot already reflects, handed to the follower thread.
    private let seenAtStart = Mutex<Set<Int64>>([])
    private let finished = DispatchSemaphore(value: 0)

    package init(
        source: any SnapshotSource,
        holder: SnapshotHolder,
        file: SnapshotFile?,
        configuration: Configuration = .init(),
        logger: Logger
    ) {
        self.source = source
        self.holder = holder
        self.file = file
        self.configuration = configuration
        self.logger = logger
    }

    /// Loads the first snapshot: from PostgreSQL, else from the snapshot file, else empty.
    package func loadInitialSnapshot() {
        do {
            let (snapshot, seen) = try source.loadAll()
            holder.replace(with: snapshot)
            seenAtStart.withLock { $0 = seen }
            holder.isDatabaseReachable = true
            initialPersistPending.store(true, ordering: .relaxed)
            logger.info(
                "snapshot loaded from database",
                ["hosts": String(snapshot.hosts.count), "seq": String(snapshot.sequence)]
            )
        } catch {
            holder.isDatabaseReachable = false
            source.reset()
            if let file, let snapshot = try? file.read() {
                holder.replace(with: snapshot)
                logger.warning(
                    "database unreachable; serving the snapshot file",
                    ["hosts": String(snapshot.hosts.count), "file": file.path, "error": "\(error)"]
                )
            } else {
                logger.error(
                    "database unreachable and no snapshot file; serving nothing until it returns",
                    ["error": "\(error)"]
                )
            }
        }
    }

    /// Runs the follow loop on a new thread until ``stop()``.
    package func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "edge-change-follower"
        thread.start()
    }

    /// Stops the loop (within about a second) and waits for it.
    package func stop() {
        stopped.store(true, ordering: .relaxed)
        finished.wait()
    }

    private func run() {
        var needsFullLoad = !holder.isDatabaseReachable
        var lastFullLoad = ContinuousClock.now
        var lastPersist = ContinuousClock.now - configuration.persistInterval
        var backoff = Duration.milliseconds(200)
        var dirty = initialPersistPending.exchange(false, ordering: .relaxed)
        // Change rows already applied, within the look-back window: only rows not in it cause a reload.
        var seen = seenAtStart.withLock { $0 }
        while !stopped.load(ordering: .relaxed) {
            do {
                if needsFullLoad || ContinuousClock.now - lastFullLoad >= configuration.reconcileInterval {
                    let (snapshot, loadedSeen) = try source.loadAll()
                    // A reconcile that finds nothing new neither swaps the snapshot nor rewrites the file.
                    if snapshot.hosts != holder.current.hosts || needsFullLoad {
                        holder.replace(with: snapshot)
                        dirty = true
                    }
                    seen = loadedSeen
                    if needsFullLoad { logger.info("snapshot reloaded", ["hosts": String(snapshot.hosts.count)]) }
                    needsFullLoad = false
                    lastFullLoad = ContinuousClock.now
                }
                if !holder.isDatabaseReachable {
                    logger.notice("database reachable again")
                }
                holder.isDatabaseReachable = true
                backoff = .milliseconds(200)
                if try applyChanges(seen: &seen) { dirty = true }
                if dirty && ContinuousClock.now - lastPersist >= configuration.persistInterval {
                    persist(holder.current)
                    lastPersist = ContinuousClock.now
                    dirty = false
                }
                _ = try source.waitForChange(timeout: .milliseconds(500))
            } catch {
                if holder.isDatabaseReachable {
                    logger.warning("database unreachable; still serving the last snapshot", ["error": "\(error)"])
                }
                holder.isDatabaseReachable = false
                source.reset()
                needsFullLoad = false
                sleepInterruptibly(backoff)
                backoff = min(backoff * 2, configuration.maximumBackoff)
            }
        }
        if dirty { persist(holder.current) }
    }

    /// Reloads the hosts named by change rows not applied yet; returns whether the snapshot changed.
    private func applyChanges(seen: inout Set<Int64>) throws -> Bool {
        let current = holder.current
        let fresh = try source.changes(after: current.sequence).filter { !seen.contains($0.seq) }
        guard let newest = fresh.map(\.seq).max() else { return false }
        let hosts = Set(fresh.map(\.host))
        let entries = try source.load(hosts: hosts)
        var changed: [String: EdgeSnapshot.HostEntry?] = [:]
        for host in hosts { changed[host] = .some(entries[host]) }  // a missing entry removes the host
        holder.replace(with: current.updating(changed, sequence: newest, builtAt: Date()))
        seen.formUnion(fresh.map(\.seq))
        let floor = max(current.sequence, newest) - PostgresSnapshotSource.lookback
        seen = seen.filter { $0 > floor }
        return true
    }

    private func persist(_ snapshot: EdgeSnapshot) {
        guard let file else { return }
        do {
            try file.write(snapshot)
        } catch {
            logger.error("cannot write the snapshot file", ["error": "\(error)", "file": file.path])
        }
    }

    private func sleepInterruptibly(_ duration: Duration) {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end && !stopped.load(ordering: .relaxed) {
            usleep(50_000)
        }
    }
}

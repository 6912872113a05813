import Foundation
package import Logging
import Store
import Synchronization
import SystemIO

/// Keeps a ``SnapshotHolder`` current by executing a ``ChangeFollowerStateMachine`` on a thread of its own.
///
/// While PostgreSQL is unreachable the last snapshot keeps being served; the machine backs off and catches up
/// from the change log when the database returns. Each update is also written to the snapshot file (at most
/// every `persistInterval`) for cold starts in an outage. The thread sleeps in the listener's wait (woken by
/// `NOTIFY`) or in a backoff wait; ``stop()`` wakes both at once.
package final class ChangeFollower<Source: SnapshotSource>: Sendable {
    /// The follower's intervals (the machine's own configuration, in `Duration`s at the call site).
    package typealias Configuration = ChangeFollowerStateMachine.Configuration

    /// The machine and the action it asked for, handed from ``loadInitialSnapshot()`` to the thread.
    private struct Progress: Sendable {
        var machine: ChangeFollowerStateMachine
        var next: ChangeFollowerStateMachine.Action
    }

    private let source: Source
    private let holder: SnapshotHolder<Source.Snapshot>
    private let file: SnapshotFile<Source.Snapshot>?
    /// Writes the file beside following: a million hosts take seconds to write, and changes must not wait.
    private let fileWriter: LatestValueWorker<Source.Snapshot>?
    private let configuration: Configuration
    private let threadName: String
    private let logger: Logger
    private let applied = Atomic<Int64>(0)
    private let progress = Mutex<Progress?>(nil)
    /// The hosts the slices of the reconcile in progress held so far; used only on the follower's thread.
    private let reconciled = Mutex<Set<String>>([])
    private let stopped = Atomic<Bool>(false)
    /// Signalled by ``stop()`` to end a backoff wait early.
    private let stopSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - threadName: names the follower's thread (`edge-change-follower`).
    package init(
        source: Source,
        holder: SnapshotHolder<Source.Snapshot>,
        file: SnapshotFile<Source.Snapshot>?,
        configuration: Configuration = .init(),
        threadName: String = "change-follower",
        logger: Logger
    ) {
        self.source = source
        self.holder = holder
        self.file = file
        fileWriter = file.map { file in
            LatestValueWorker(label: "mtasts.\(threadName).file") { snapshot in
                Self.persist(snapshot, to: file, logger: logger)
            }
        }
        self.configuration = configuration
        self.threadName = threadName
        self.logger = logger
    }

    /// The change-log position whose changes are all applied to the served snapshot (0 before the first
    /// load from the database): what an edge reports in its heartbeat.
    package var appliedSequence: Int64 { applied.load(ordering: .acquiring) }

    /// Loads the first snapshot on the calling thread: from PostgreSQL, else from the snapshot file, else
    /// empty. Writing the file is left to the follower thread, off the start-up path.
    package func loadInitialSnapshot() {
        let now = Self.now()
        var machine = ChangeFollowerStateMachine(configuration: configuration, now: now)
        var action = execute(machine.start(now: now), on: &machine, initial: true)
        if action == .restoreFromFile { action = execute(action, on: &machine, initial: true) }
        progress.withLock { $0 = Progress(machine: machine, next: action) }
    }

    /// Runs the machine on a new thread until ``stop()``.
    package func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = threadName
        thread.start()
    }

    /// Stops the thread (waking it from any wait) and waits for it and for the file it was writing.
    package func stop() {
        stopped.store(true, ordering: .relaxed)
        source.cancelWaits()
        stopSignal.signal()
        finished.wait()
        fileWriter?.waitUntilIdle()
    }

    private func run() {
        let handedOver = progress.withLock { $0 }
        let now = Self.now()
        var machine = handedOver?.machine ?? ChangeFollowerStateMachine(configuration: configuration, now: now)
        var action = handedOver?.next ?? machine.start(now: now)
        while !stopped.load(ordering: .relaxed) {
            action = execute(action, on: &machine)
        }
        if machine.hasUnpersistedChanges { fileWriter?.submit(holder.current) }
    }

    /// Performs `action` and feeds its outcome to the machine; returns the machine's next action.
    /// - Parameter initial: the first load, on the caller of ``loadInitialSnapshot()``.
    private func execute(
        _ action: ChangeFollowerStateMachine.Action,
        on machine: inout ChangeFollowerStateMachine,
        initial: Bool = false
    ) -> ChangeFollowerStateMachine.Action {
        do {
            let next = try perform(action, on: &machine, initial: initial)
            applied.store(machine.sequence, ordering: .releasing)
            // A full load or restore leaves the rows and the replaced snapshot as garbage: give their pages back
            // (after the confirmation, so the new snapshot is confirmed as soon as it is in place).
            switch action {
            case .loadAll:
                holder.confirm()
                HeapTrim.releaseFreePages()
            case .fetchChanges: holder.confirm()
            case .restoreFromFile: HeapTrim.releaseFreePages()
            case .reconcileSlice: holder.confirm()
            case .loadHosts, .persist, .waitForChange, .sleep: break
            }
            if machine.isDatabaseReachable && !holder.isDatabaseReachable {
                if !initial { logger.notice("database reachable again") }
                holder.isDatabaseReachable = true
            }
            return next
        } catch {
            if holder.isDatabaseReachable || initial {
                logger.warning("database unreachable; still serving the last snapshot", ["error": "\(error)"])
            }
            holder.isDatabaseReachable = false
            source.reset()
            return machine.failed(now: Self.now())
        }
    }

    private func perform(
        _ action: ChangeFollowerStateMachine.Action,
        on machine: inout ChangeFollowerStateMachine,
        initial: Bool
    ) throws -> ChangeFollowerStateMachine.Action {
        switch action {
        case .loadAll:
            let (snapshot, reflected) = try source.loadAll(lookback: machine.configuration.lookback)
            // The full load owed after a start from the file keeps that snapshot (and the file) when it finds
            // nothing new; the first load always replaces whatever an earlier run left in the file.
            let changed = initial || !snapshot.hasSameContent(as: holder.current)
            if changed {
                holder.replace(with: snapshot)
                logger.info(
                    "snapshot loaded from database",
                    ["hosts": String(snapshot.hostCount), "seq": String(snapshot.sequence)]
                )
            }
            return machine.loadedAll(
                sequence: snapshot.sequence,
                reflected: reflected,
                changed: changed,
                now: Self.now()
            )
        case .restoreFromFile:
            if let file, let snapshot = readFile(file) {
                holder.replace(with: snapshot)
                logger.warning(
                    "database unreachable; serving the snapshot file",
                    ["hosts": String(snapshot.hostCount), "file": file.path]
                )
            } else {
                logger.error("database unreachable and no snapshot file; serving nothing until it returns")
            }
            return machine.restored(now: Self.now())
        case .fetchChanges(let after, let limit):
            return machine.fetched(try source.changes(after: after, limit: limit), now: Self.now())
        case .loadHosts(let hosts, let parts, let sequence):
            let entries = try source.load(hosts: hosts, parts: parts)
            holder.replace(
                with: holder.current.updating(
                    hosts: hosts,
                    parts: parts,
                    with: entries,
                    sequence: sequence,
                    builtAt: Date()
                )
            )
            return machine.hostsLoaded(now: Self.now())
        case .reconcileSlice(let after, let limit):
            let slice = try source.loadSlice(after: after, limit: limit)
            let ended = slice.range.through == nil
            var corrected = correct(slice.entries, parts: machine.configuration.followedParts)
            let missing = reconciled.withLock { seen in
                if after.isEmpty { seen = [] }
                seen.formUnion(Source.Snapshot.hosts(of: slice.entries))
                defer { if ended { seen = [] } }
                return ended ? holder.current.hosts(missingFrom: seen) : []
            }
            if !missing.isEmpty {
                // Served, yet in no slice: gone from the database without a change row, or added by a change
                // after its slice was read. The database says which.
                let parts = machine.configuration.followedParts
                corrected += correct(try source.load(hosts: Set(missing), parts: parts), among: missing, parts: parts)
            }
            let next = machine.reconciledSlice(through: slice.range.through, changed: corrected > 0, now: Self.now())
            if ended {
                logger.debug(
                    "reconcile complete",
                    [
                        "hosts": String(holder.current.hostCount),
                        "reading_seconds": String(format: "%.2f", Double(machine.lastReconcileCost) / 1e9),
                    ]
                )
            }
            return next
        case .persist:
            fileWriter?.submit(holder.current)
            return machine.persisted(now: Self.now())
        case .waitForChange(let deadline):
            try source.waitForChange(timeout: .nanoseconds(Int64(clamping: Self.nanoseconds(until: deadline))))
            return machine.waited(now: Self.now())
        case .sleep(let deadline):
            _ = stopSignal.wait(timeout: .now() + .nanoseconds(Int(clamping: Self.nanoseconds(until: deadline))))
            return machine.slept(now: Self.now())
        }
    }

    /// Swaps in a snapshot in which the hosts that differ from `entries` (what the database serves for the
    /// hosts of a reconcile slice, or for `among`, where a host `entries` lacks serves nothing) serve what the
    /// database does; returns how many differed. The change log should have said: each correction is logged.
    private func correct(
        _ entries: Source.Snapshot.Entries,
        among asked: [String] = [],
        parts: ServedParts
    ) -> Int {
        let current = holder.current
        var differing = current.hostsDiffering(from: entries)
        if !asked.isEmpty {
            let present = Set(Source.Snapshot.hosts(of: entries))
            differing.formUnion(asked.lazy.filter { !present.contains($0) })
        }
        guard !differing.isEmpty else { return 0 }
        holder.replace(
            with: current.updating(
                hosts: differing,
                parts: parts,
                with: entries,
                sequence: current.sequence,
                builtAt: Date()
            )
        )
        logger.warning(
            "reconcile corrected hosts the change log had not updated",
            ["hosts": String(differing.count), "first": differing.min { HostRange.precedes($0, $1) } ?? ""]
        )
        return differing.count
    }

    /// The file's snapshot, or nil when there is none or it is refused (torn, corrupt, an earlier release's
    /// format): the file is only a cache for outages, so a bad one is logged and treated as missing.
    private func readFile(_ file: SnapshotFile<Source.Snapshot>) -> Source.Snapshot? {
        do {
            return try file.read()
        } catch {
            logger.error("refusing the snapshot file", ["error": "\(error)", "file": file.path])
            return nil
        }
    }

    private static func persist(_ snapshot: Source.Snapshot, to file: SnapshotFile<Source.Snapshot>, logger: Logger) {
        do {
            try file.write(snapshot)
        } catch {
            logger.error("cannot write the snapshot file", ["error": "\(error)", "file": file.path])
        }
    }

    private static func now() -> UInt64 {
        Deadline.now().uptimeNanoseconds
    }

    private static func nanoseconds(until deadline: UInt64) -> UInt64 {
        let now = now()
        return deadline > now ? deadline - now : 0
    }
}

/// What a role needs of its follower, whatever its snapshot source: start, stop and where it has come to.
package protocol SnapshotFollowing: Sendable {
    /// Loads the first snapshot on the calling thread (database, else file, else empty).
    func loadInitialSnapshot()
    /// Starts following changes on a thread of its own.
    func start()
    /// Stops following and waits for the thread.
    func stop()
    /// The change-log position whose changes are all applied.
    var appliedSequence: Int64 { get }
}

extension ChangeFollower: SnapshotFollowing {}

package import Store

/// Decides what keeps a role's snapshot (the edge's, the DNS zone's) current, as a pure state machine: a full load
/// at start, then the hosts named by change-log rows not applied yet (woken by `NOTIFY` or a short poll), a
/// reconcile every `reconcileInterval` (longer when reconciles are slow: ``reconcileEvery``) so anything missed
/// heals, the snapshot file written at most every `persistInterval`, and capped exponential backoff while the
/// database is unreachable (the last snapshot keeps being served).
///
/// A reconcile reads the hosts in slices of `reconcileSliceSize`, in byte order, and the change log is read
/// between two slices: it never holds a second copy of every host, and a change waits for one slice at most.
///
/// The shell (``ChangeFollower``) executes each ``Action`` and feeds its outcome back as an event; the clock
/// is injected as monotonic nanoseconds. A writer's `seq` is assigned before its commit, so a lower number
/// can become visible after a higher one: every fetch re-reads the `lookback` rows below the newest applied
/// `seq`, and the machine remembers which of those it applied, so only rows not seen yet cause a reload.
///
/// ```swift
/// var machine = ChangeFollowerStateMachine(configuration: .init(), now: clock())
/// var action = machine.start(now: clock())          // .loadAll
/// action = machine.loadedAll(sequence: 42, reflected: [41, 42], changed: true, now: clock())
/// ```
package struct ChangeFollowerStateMachine: Sendable {
    /// Intervals in nanoseconds.
    package struct Configuration: Sendable, Hashable {
        /// A reconcile this often, whatever the change log says; but never sooner than 100 times as long as the
        /// last one took after it ended (``ChangeFollowerStateMachine/reconcileEvery``).
        package var reconcileInterval: UInt64
        /// How many served hosts a reconcile reads at once.
        package var reconcileSliceSize: Int
        /// The snapshot file is rewritten at most this often.
        package var persistInterval: UInt64
        /// The first wait after a failure; it doubles per failure up to `maximumBackoff`.
        package var initialBackoff: UInt64
        /// The longest wait between attempts to reach the database.
        package var maximumBackoff: UInt64
        /// The change log is read at least this often, notified or not.
        package var pollInterval: UInt64
        /// How many `seq` values below the newest applied one are re-read for late commits.
        package var lookback: Int64
        /// Most change rows read at once; a full batch is followed by the next one without waiting.
        package var batchSize: Int
        /// The parts the snapshot holds: change rows that touch none of them advance the position without a
        /// reload (the DNS zone ignores certificates and challenges; the edge ignores TLS-RPT addresses).
        package var followedParts: ServedParts

        /// Creates a configuration; the defaults are those of a production edge.
        package init(
            reconcileInterval: Duration = .seconds(60),
            persistInterval: Duration = .seconds(5),
            initialBackoff: Duration = .milliseconds(200),
            maximumBackoff: Duration = .seconds(10),
            pollInterval: Duration = .milliseconds(500),
            lookback: Int64 = 200,
            batchSize: Int = 1000,
            reconcileSliceSize: Int = 5000,
            followedParts: ServedParts = .all
        ) {
            self.reconcileInterval = Self.nanoseconds(reconcileInterval)
            self.persistInterval = Self.nanoseconds(persistInterval)
            self.initialBackoff = Self.nanoseconds(initialBackoff)
            self.maximumBackoff = Self.nanoseconds(maximumBackoff)
            self.pollInterval = Self.nanoseconds(pollInterval)
            self.lookback = max(0, lookback)
            self.batchSize = max(1, batchSize)
            self.reconcileSliceSize = max(1, reconcileSliceSize)
            self.followedParts = followedParts
        }

        private static func nanoseconds(_ duration: Duration) -> UInt64 {
            let (seconds, attoseconds) = duration.components
            guard seconds >= 0, attoseconds >= 0 else { return 0 }
            return UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000).partialValue
                &+ UInt64(attoseconds / 1_000_000_000)
        }
    }

    /// What the shell does next.
    package enum Action: Sendable, Hashable {
        /// Load everything served, with the change rows of the look-back window it reflects; answer with
        /// ``loadedAll(sequence:reflected:changed:now:)`` or ``failed(now:)``.
        case loadAll
        /// The first load failed: serve the snapshot file if there is one; answer with ``restored(now:)``.
        case restoreFromFile
        /// Read up to `limit` change rows with `seq > after`; answer with ``fetched(_:now:)``.
        case fetchChanges(after: Int64, limit: Int)
        /// Reload `parts` of `hosts` into the snapshot, whose change-log position becomes `sequence`; answer
        /// with ``hostsLoaded(now:)``.
        case loadHosts(Set<String>, parts: ServedParts, sequence: Int64)
        /// Reconcile the next `limit` hosts after `after` ("" for the first slice) with the database, correcting
        /// any that differ; answer with ``reconciledSlice(through:changed:now:)``.
        case reconcileSlice(after: String, limit: Int)
        /// Write the current snapshot to the file; answer with ``persisted(now:)`` (also when writing failed:
        /// the file is a convenience, never a reason to stop serving).
        case persist
        /// Wait for a change notification until `deadline`; answer with ``waited(now:)``.
        case waitForChange(deadline: UInt64)
        /// The database is unreachable: wait until `deadline`, then answer with ``slept(now:)``.
        case sleep(deadline: UInt64)
    }

    private enum Phase: Sendable, Hashable {
        case created
        case loadingAll(initial: Bool)
        case restoring
        case fetching(limit: Int)
        case loadingHosts(seqs: [Int64], sequence: Int64, fullBatch: Bool)
        case reconcilingSlice
        case persisting
        case waiting
        case sleeping
    }

    /// The intervals in force.
    package let configuration: Configuration
    private var phase: Phase = .created
    /// The change-log position the snapshot reflects.
    package private(set) var sequence: Int64 = 0
    /// Change rows of the look-back window already applied.
    private var applied: Set<Int64> = []
    /// The snapshot changed since it was last written to the file.
    package private(set) var hasUnpersistedChanges = false
    /// Whether the last database operation succeeded (for metrics and logs).
    package private(set) var isDatabaseReachable = false
    /// A full load is owed (the first one failed and the snapshot came from the file, or nothing).
    private var needsFullLoad = false
    /// When the last full load or reconcile ended.
    private var lastReconcile: UInt64
    /// Where the reconcile in progress goes on: the last host of its last slice ("" before the first); nil
    /// when none is in progress.
    private var reconcileCursor: String?
    /// When the slice being read was asked for.
    private var sliceStarted: UInt64 = 0
    /// The time the reconcile in progress has spent reading slices so far (nanoseconds).
    private var reconcileCost: UInt64 = 0
    /// The time the last complete reconcile spent reading its slices (nanoseconds).
    package private(set) var lastReconcileCost: UInt64 = 0
    private var lastPersist: UInt64?
    private var backoff: UInt64

    /// Creates the machine for a follower starting at `now`.
    package init(configuration: Configuration = Configuration(), now: UInt64) {
        self.configuration = configuration
        self.lastReconcile = now
        self.backoff = configuration.initialBackoff
    }

    /// Reconciles keep the follower and its database connection busy at most 1/`reconcileCostFactor` of the
    /// time: a reconcile of a million hosts spent 46 s reading its slices here, so they come about 75 minutes
    /// apart at that size.
    private static let reconcileCostFactor: UInt64 = 100

    /// How long after the last reconcile (or the first full load) the next one is due: the configured interval,
    /// or longer when reconciles are slow (``reconcileCostFactor``).
    package var reconcileEvery: UInt64 {
        let scaled = lastReconcileCost.multipliedReportingOverflow(by: Self.reconcileCostFactor)
        return max(configuration.reconcileInterval, scaled.overflow ? .max : scaled.partialValue)
    }

    // MARK: - Events

    /// The follower starts: load everything.
    package mutating func start(now: UInt64) -> Action {
        phase = .loadingAll(initial: true)
        return .loadAll
    }

    /// A full load finished.
    /// - Parameters:
    ///   - sequence: the newest change-log `seq` when the load read the database.
    ///   - reflected: the rows of the look-back window that the load already reflects.
    ///   - changed: whether the loaded hosts differ from the snapshot served (the shell swapped it in).
    package mutating func loadedAll(sequence: Int64, reflected: Set<Int64>, changed: Bool, now: UInt64) -> Action {
        guard case .loadingAll = phase else { return unexpected(now: now) }
        succeeded()
        self.sequence = sequence
        applied = reflected
        if changed || needsFullLoad { hasUnpersistedChanges = true }
        needsFullLoad = false
        lastReconcile = now
        // A full load reconciles every host: one in progress in slices is done.
        reconcileCursor = nil
        return fetch()
    }

    /// The snapshot file was read (or there was none) after the first load failed.
    package mutating func restored(now: UInt64) -> Action {
        guard phase == .restoring else { return unexpected(now: now) }
        return sleep(now: now)
    }

    /// Change rows arrived (oldest first).
    package mutating func fetched(_ changes: [ChangeRecord], now: UInt64) -> Action {
        guard case .fetching(let limit) = phase else { return unexpected(now: now) }
        succeeded()
        let fresh = changes.filter { !applied.contains($0.seq) }
        guard let newest = fresh.last?.seq else { return persistOrWait(now: now) }
        let newSequence = max(sequence, newest)
        let fullBatch = changes.count >= limit
        var parts: ServedParts = []
        var hosts: Set<String> = []
        for change in fresh {
            let touched = ServedParts(changed: change.kind).intersection(configuration.followedParts)
            guard !touched.isEmpty else { continue }
            parts.formUnion(touched)
            hosts.insert(change.host)
        }
        phase = .loadingHosts(seqs: fresh.map(\.seq), sequence: newSequence, fullBatch: fullBatch)
        guard !hosts.isEmpty else {
            // Nothing this snapshot holds changed: the rows are applied without a reload.
            return applyLoaded(now: now, changedSnapshot: false)
        }
        return .loadHosts(hosts, parts: parts, sequence: newSequence)
    }

    /// The hosts of the last ``Action/loadHosts(_:parts:sequence:)`` were reloaded into the snapshot.
    package mutating func hostsLoaded(now: UInt64) -> Action {
        guard case .loadingHosts = phase else { return unexpected(now: now) }
        succeeded()
        return applyLoaded(now: now, changedSnapshot: true)
    }

    /// A slice of the reconcile in progress was compared with the database.
    /// - Parameters:
    ///   - through: the slice's last host; nil when it ran to the end of the key space (the reconcile is done).
    ///   - changed: whether any host differed (the shell swapped in a corrected snapshot).
    package mutating func reconciledSlice(through: String?, changed: Bool, now: UInt64) -> Action {
        guard phase == .reconcilingSlice else { return unexpected(now: now) }
        succeeded()
        if changed { hasUnpersistedChanges = true }
        reconcileCost &+= now &- sliceStarted
        reconcileCursor = through
        if through == nil {
            lastReconcile = now
            lastReconcileCost = reconcileCost
        }
        // Changes committed while the slice was read are applied before the next slice.
        return fetch()
    }

    /// The snapshot file was written (or writing failed and was logged).
    package mutating func persisted(now: UInt64) -> Action {
        guard phase == .persisting else { return unexpected(now: now) }
        hasUnpersistedChanges = false
        lastPersist = now
        return wait(now: now)
    }

    /// The wait for a notification ended (notified or not): read the change log, first starting a reconcile
    /// when one is due (its slices come instead of the waits after it), or load everything when a full load is
    /// owed.
    package mutating func waited(now: UInt64) -> Action {
        guard phase == .waiting else { return unexpected(now: now) }
        succeeded()
        return cycle(now: now)
    }

    /// The backoff after a failure is over: try the database again.
    package mutating func slept(now: UInt64) -> Action {
        guard phase == .sleeping else { return unexpected(now: now) }
        return cycle(now: now)
    }

    /// The database operation of the last action failed (unreachable, timed out, lost the connection).
    package mutating func failed(now: UInt64) -> Action {
        isDatabaseReachable = false
        switch phase {
        case .loadingAll(initial: true):
            needsFullLoad = true
            phase = .restoring
            return .restoreFromFile
        case .created, .loadingAll, .restoring, .fetching, .loadingHosts, .reconcilingSlice, .persisting, .waiting,
            .sleeping:
            // A reconcile in progress goes on from its cursor once the database is back.
            return sleep(now: now)
        }
    }

    // MARK: - Transitions

    /// Records the rows of the current ``Phase/loadingHosts(seqs:sequence:fullBatch:)`` as applied.
    private mutating func applyLoaded(now: UInt64, changedSnapshot: Bool) -> Action {
        guard case .loadingHosts(let seqs, let newSequence, let fullBatch) = phase else { return unexpected(now: now) }
        sequence = newSequence
        applied.formUnion(seqs)
        let floor = sequence - configuration.lookback
        applied = applied.filter { $0 > floor }
        if changedSnapshot { hasUnpersistedChanges = true }
        // A full batch means more rows are waiting: read them now rather than after a wait.
        return fullBatch ? fetch() : persistOrWait(now: now)
    }

    private mutating func succeeded() {
        isDatabaseReachable = true
        backoff = configuration.initialBackoff
    }

    private mutating func cycle(now: UInt64) -> Action {
        if needsFullLoad {
            phase = .loadingAll(initial: false)
            return .loadAll
        }
        if reconcileCursor == nil, now &- lastReconcile >= reconcileEvery {
            reconcileCursor = ""
            reconcileCost = 0
        }
        return fetch()
    }

    private mutating func fetch() -> Action {
        phase = .fetching(limit: configuration.batchSize)
        return .fetchChanges(after: max(0, sequence - configuration.lookback), limit: configuration.batchSize)
    }

    private mutating func persistOrWait(now: UInt64) -> Action {
        if hasUnpersistedChanges, persistDue(now: now) {
            phase = .persisting
            return .persist
        }
        return wait(now: now)
    }

    private func persistDue(now: UInt64) -> Bool {
        guard let lastPersist else { return true }
        return now &- lastPersist >= configuration.persistInterval
    }

    /// Reads the next slice of the reconcile in progress; else waits for a notification, but no longer than the
    /// poll interval, the next reconcile, or the moment the owed file write becomes due.
    private mutating func wait(now: UInt64) -> Action {
        if let reconcileCursor {
            phase = .reconcilingSlice
            sliceStarted = now
            return .reconcileSlice(after: reconcileCursor, limit: configuration.reconcileSliceSize)
        }
        phase = .waiting
        var deadline = Self.adding(configuration.pollInterval, to: now)
        deadline = min(deadline, Self.adding(reconcileEvery, to: lastReconcile))
        if hasUnpersistedChanges, let lastPersist {
            deadline = min(deadline, Self.adding(configuration.persistInterval, to: lastPersist))
        }
        return .waitForChange(deadline: max(deadline, now))
    }

    private mutating func sleep(now: UInt64) -> Action {
        phase = .sleeping
        let deadline = Self.adding(backoff, to: now)
        backoff = min(backoff.multipliedReportingOverflow(by: 2).partialValue, configuration.maximumBackoff)
        return .sleep(deadline: deadline)
    }

    /// An event that does not fit the current phase is a shell bug; recover by backing off and starting
    /// the cycle again rather than trapping in a server.
    private mutating func unexpected(now: UInt64) -> Action {
        assertionFailure("ChangeFollowerStateMachine: event out of order in \(phase)")
        return sleep(now: now)
    }

    private static func adding(_ duration: UInt64, to now: UInt64) -> UInt64 {
        let (sum, overflow) = now.addingReportingOverflow(duration)
        return overflow ? .max : sum
    }
}

import Foundation
import Logging
import SnapshotSync
import Store
import Synchronization
import TestSupport
import Testing

/// A minimal snapshot: one policy text per host.
struct TestSnapshot: FollowedSnapshot, Equatable {
    typealias Entries = [String: String]

    var hosts: [String: String] = [:]
    var sequence: Int64 = 0

    init() {}

    init(hosts: [String: String], sequence: Int64) {
        self.hosts = hosts
        self.sequence = sequence
    }

    var hostCount: Int { hosts.count }

    func hasSameContent(as other: TestSnapshot) -> Bool { hosts == other.hosts }

    static func hosts(of entries: Entries) -> [String] { Array(entries.keys) }

    func hostsDiffering(from entries: Entries) -> Set<String> {
        Set(entries.filter { hosts[$0.key] != $0.value }.keys)
    }

    func hosts(missingFrom seen: Set<String>) -> [String] { hosts.keys.filter { !seen.contains($0) } }

    func updating(
        hosts changed: Set<String>,
        parts: ServedParts,
        with entries: Entries,
        sequence: Int64,
        builtAt: Date
    ) -> TestSnapshot {
        var copy = self
        for host in changed { copy.hosts[host] = entries[host] }
        copy.sequence = max(self.sequence, sequence)
        return copy
    }

    func text(_ host: String) -> String? { hosts[host] }
}

extension TestSnapshot: SnapshotFileCodable {
    static let snapshotFileKind = "test"

    func encode(to file: SnapshotFileEncoder) throws {
        try file.encodeRecord { record in
            record.append(sequence)
            record.append(UInt64(hosts.count))
        }
        for (host, text) in hosts.sorted(by: { $0.key < $1.key }) {
            try file.encodeRecord { record in
                record.append(host)
                record.append(text)
            }
        }
    }

    init(from file: SnapshotFileDecoder) throws {
        let (sequence, count) = try file.decodeRecord { (try $0.read(Int64.self), try $0.read(UInt64.self)) }
        var hosts: [String: String] = [:]
        for _ in 0..<count {
            let (host, text) = try file.decodeRecord { (try $0.readString(), try $0.readString()) }
            hosts[host] = text
        }
        self.init(hosts: hosts, sequence: sequence)
    }
}

/// The follower's shell against a scripted source: no database, real threads, conditions polled with a
/// deadline.
@Suite struct ChangeFollowerTests {
    /// A source whose content and availability the test sets; `waitForChange` blocks until a notification
    /// is posted, the timeout passes, or waits are cancelled.
    final class ScriptedSource: SnapshotSource {
        typealias Snapshot = TestSnapshot

        struct State {
            var hosts: [String: String] = [:]
            var changes: [ChangeRecord] = []
            var isDown = false
            var partsLoaded: [ServedParts] = []
            var slicesLoaded: [HostRange] = []
            /// Published (with its change row) while the slice of this number is read.
            var publishDuringSlice: (slice: Int, host: String, text: String)?
            var cancelled = false
        }

        let state = Mutex(State())
        private let notification = DispatchSemaphore(value: 0)

        func loadAll(lookback: Int64) throws -> (snapshot: TestSnapshot, reflected: Set<Int64>) {
            try state.withLock { state in
                guard !state.isDown else { throw TestSupportError("database down") }
                let sequence = state.changes.last?.seq ?? 0
                let reflected = Set(state.changes.map(\.seq).filter { $0 > sequence - lookback })
                return (TestSnapshot(hosts: state.hosts, sequence: sequence), reflected)
            }
        }

        func changes(after: Int64, limit: Int) throws -> [ChangeRecord] {
            try state.withLock { state in
                guard !state.isDown else { throw TestSupportError("database down") }
                return Array(state.changes.filter { $0.seq > after }.prefix(limit))
            }
        }

        func load(hosts: Set<String>, parts: ServedParts) throws -> [String: String] {
            try state.withLock { state in
                guard !state.isDown else { throw TestSupportError("database down") }
                state.partsLoaded.append(parts)
                return state.hosts.filter { hosts.contains($0.key) }
            }
        }

        func loadSlice(after: String, limit: Int) throws -> (entries: [String: String], range: HostRange) {
            try state.withLock { state in
                guard !state.isDown else { throw TestSupportError("database down") }
                let next = state.hosts.keys.sorted(by: HostRange.precedes).filter { HostRange.precedes(after, $0) }
                    .prefix(limit)
                let range = HostRange(after: after, through: next.count == limit ? next.last : nil)
                state.slicesLoaded.append(range)
                if let publish = state.publishDuringSlice, publish.slice == state.slicesLoaded.count {
                    state.hosts[publish.host] = publish.text
                    let seq = (state.changes.last?.seq ?? 0) + 1
                    state.changes.append(ChangeRecord(seq: seq, host: publish.host, kind: .policy, at: Date()))
                }
                return (state.hosts.filter { range.contains($0.key) }, range)
            }
        }

        func waitForChange(timeout: Duration) throws {
            if state.withLock({ $0.cancelled }) { return }
            _ = notification.wait(timeout: .now() + .milliseconds(Int(timeout.components.seconds * 1000) + 1))
        }

        func cancelWaits() {
            state.withLock { $0.cancelled = true }
            notification.signal()
        }

        func reset() {}

        /// Writes a policy for `host` and notifies, as a writer's transaction does.
        func publish(_ host: String, text: String, kind: ChangeKind = .policy) {
            state.withLock { state in
                state.hosts[host] = text
                let seq = (state.changes.last?.seq ?? 0) + 1
                state.changes.append(ChangeRecord(seq: seq, host: host, kind: kind, at: Date()))
            }
            notification.signal()
        }
    }

    private func follower(
        _ source: ScriptedSource,
        file: SnapshotFile<TestSnapshot>? = nil,
        holder: SnapshotHolder<TestSnapshot>,
        reconcileInterval: Duration = .seconds(60),
        reconcileSliceSize: Int = 5000
    ) -> ChangeFollower<ScriptedSource> {
        ChangeFollower(
            source: source,
            holder: holder,
            file: file,
            configuration: .init(
                reconcileInterval: reconcileInterval,
                persistInterval: .zero,
                maximumBackoff: .seconds(1),
                reconcileSliceSize: reconcileSliceSize
            ),
            logger: Logger(label: "follower-test", level: .critical)
        )
    }

    @Test func aNotifiedChangeIsServedAndWrittenToTheFile() throws {
        let directory = try TemporaryDirectory(prefix: "follower")
        let file = SnapshotFile<TestSnapshot>(path: directory.path("snapshot.bin"))
        let source = ScriptedSource()
        source.publish("mta-sts.a.test", text: "first")
        let holder = SnapshotHolder<TestSnapshot>()
        let follower = follower(source, file: file, holder: holder)
        follower.loadInitialSnapshot()
        #expect(holder.current.text("mta-sts.a.test") == "first")
        #expect(holder.isDatabaseReachable)
        follower.start()
        defer { follower.stop() }

        source.publish("mta-sts.b.test", text: "second")
        try Poll.until(deadline: 5, "change applied") { holder.current.text("mta-sts.b.test") != nil }
        #expect(source.state.withLock { $0.partsLoaded } == [.policy])
        try Poll.until(deadline: 5, "file written") { (try? file.read())?.hosts.count == 2 }
    }

    @Test func anOutageKeepsTheSnapshotAndTheFollowerCatchesUpAfterwards() throws {
        let source = ScriptedSource()
        source.publish("mta-sts.a.test", text: "first")
        let holder = SnapshotHolder<TestSnapshot>()
        let follower = follower(source, holder: holder)
        follower.loadInitialSnapshot()
        follower.start()
        defer { follower.stop() }

        source.state.withLock { $0.isDown = true }
        try Poll.until(deadline: 5, "outage noticed") { !holder.isDatabaseReachable }
        #expect(holder.current.text("mta-sts.a.test") == "first")
        source.publish("mta-sts.a.test", text: "second")
        source.state.withLock { $0.isDown = false }
        try Poll.until(deadline: 5, "caught up") {
            holder.isDatabaseReachable && holder.current.text("mta-sts.a.test") == "second"
        }
    }

    @Test func aReconcileInSlicesCorrectsWhatTheChangeLogMissed() throws {
        let source = ScriptedSource()
        for letter in "abcdefgh" { source.publish("mta-sts.\(letter).test", text: "first") }
        let holder = SnapshotHolder<TestSnapshot>()
        let follower = follower(source, holder: holder, reconcileInterval: .seconds(1), reconcileSliceSize: 3)
        follower.loadInitialSnapshot()
        // Rows written without change-log rows: a changed host, a removed one, one added before the first and
        // one after the last host served, one inside a slice.
        source.state.withLock { state in
            state.hosts["mta-sts.c.test"] = "second"
            state.hosts["mta-sts.e.test"] = nil
            state.hosts["mta-sts.0.test"] = "new"
            state.hosts["mta-sts.dd.test"] = "new"
            state.hosts["mta-sts.z.test"] = "new"
            // Committed with its change row while the second slice is read, in the first slice's range: no
            // slice holds it, and the reconcile must not take it for a host gone from the database.
            state.publishDuringSlice = (2, "mta-sts.00.test", "late")
        }
        var expected = source.state.withLock { $0.hosts }
        expected["mta-sts.00.test"] = "late"
        follower.start()
        defer { follower.stop() }
        // "e" is removed only at the end of the reconcile, after its last slice.
        try Poll.until(deadline: 5, "reconciled") { holder.current.hosts == expected }
        // One reconcile (the next is a second later): slices of three hosts in byte order, the last one
        // open-ended: 0 a b | c d dd | f g h | z.
        let slices = source.state.withLock { $0.slicesLoaded }
        #expect(
            slices == [
                HostRange(after: "", through: "mta-sts.b.test"),
                HostRange(after: "mta-sts.b.test", through: "mta-sts.dd.test"),
                HostRange(after: "mta-sts.dd.test", through: "mta-sts.h.test"),
                HostRange(after: "mta-sts.h.test", through: nil),
            ]
        )
        #expect(holder.current.sequence == 9)
        #expect(holder.current.hosts == expected)
    }

    @Test func aColdStartDuringAnOutageServesTheFile() throws {
        let directory = try TemporaryDirectory(prefix: "follower")
        let file = SnapshotFile<TestSnapshot>(path: directory.path("snapshot.bin"))
        let saved = TestSnapshot(hosts: ["mta-sts.a.test": "saved"], sequence: 7)
        try file.write(saved)
        let source = ScriptedSource()
        source.state.withLock { $0.isDown = true }
        let holder = SnapshotHolder<TestSnapshot>()
        let follower = follower(source, file: file, holder: holder)
        follower.loadInitialSnapshot()
        #expect(holder.current.text("mta-sts.a.test") == "saved")
        #expect(!holder.isDatabaseReachable)
        // Serving the file, never confirmed against the database: not ready (it still answers).
        #expect(holder.confirmedAt == nil)
        #expect(
            holder.readinessProblems(maximumStaleness: 900)
                == ["the snapshot has not been confirmed against the database since start (bound: 900 s)"]
        )
        follower.start()
        defer { follower.stop() }
        // The database comes back with other content: the owed full load replaces the file's snapshot.
        source.publish("mta-sts.b.test", text: "live")
        source.state.withLock { $0.isDown = false }
        // Confirmed just after the swap, on the follower's thread.
        try Poll.until(deadline: 5, "full load after the outage, confirmed") {
            holder.current.text("mta-sts.b.test") != nil && holder.current.text("mta-sts.a.test") == nil
                && holder.readinessProblems(maximumStaleness: 900).isEmpty
        }
        // A snapshot last confirmed longer ago than the bound is stale.
        let later = Date().addingTimeInterval(1000)
        #expect(holder.readinessProblems(maximumStaleness: 900, now: later).first?.contains("for 1000 s") == true)
    }

    @Test func aColdStartDuringAnOutageWithAnEarlierReleasesJSONFileServesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "follower")
        let file = SnapshotFile<TestSnapshot>(path: directory.path("snapshot.bin"))
        try Data(#"{"hosts":{"mta-sts.a.test":"saved"},"sequence":7,"builtAt":1}"#.utf8)
            .write(to: URL(fileURLWithPath: file.path))
        let source = ScriptedSource()
        source.state.withLock { $0.isDown = true }
        let holder = SnapshotHolder<TestSnapshot>()
        let follower = follower(source, file: file, holder: holder)
        follower.loadInitialSnapshot()
        #expect(holder.current.hostCount == 0)
        #expect(!holder.isDatabaseReachable)
        follower.start()
        defer { follower.stop() }
        // The database returns: the full load is served and replaces the refused file with a readable one.
        source.publish("mta-sts.b.test", text: "live")
        source.state.withLock { $0.isDown = false }
        try Poll.until(deadline: 5, "file rewritten") { (try? file.read())?.text("mta-sts.b.test") == "live" }
    }

    @Test func nothingLoadedIsNotReady() {
        let holder = SnapshotHolder<TestSnapshot>()
        #expect(
            holder.readinessProblems(maximumStaleness: 900)
                == ["no snapshot loaded yet (database unreachable and no snapshot file)"]
        )
    }

    @Test func stopWakesTheFollowerOutOfItsWait() throws {
        let source = ScriptedSource()
        let holder = SnapshotHolder<TestSnapshot>()
        let follower = follower(source, holder: holder)
        follower.loadInitialSnapshot()
        follower.start()
        let started = ContinuousClock.now
        follower.stop()
        // The poll interval is 0.5 s; stopping must not wait it out (let alone the 60 s reconcile).
        #expect(ContinuousClock.now - started < .milliseconds(400))
        #expect(source.state.withLock { $0.cancelled })
    }
}

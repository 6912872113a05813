import Foundation
import SnapshotSync
import Store
import Testing

@Suite struct ChangeFollowerStateMachineTests {
    private static let second: UInt64 = 1_000_000_000
    private static let millisecond: UInt64 = 1_000_000

    /// A machine at t = 1000 s with the production intervals, its first full load done.
    private func started(
        sequence: Int64 = 500,
        reflected: Set<Int64> = [],
        configuration: ChangeFollowerStateMachine.Configuration = .init()
    ) -> (ChangeFollowerStateMachine, UInt64) {
        let now = 1000 * Self.second
        var machine = ChangeFollowerStateMachine(configuration: configuration, now: now)
        #expect(machine.start(now: now) == .loadAll)
        let next = machine.loadedAll(sequence: sequence, reflected: reflected, changed: true, now: now)
        #expect(next == .fetchChanges(after: max(0, sequence - 200), limit: configuration.batchSize))
        return (machine, now)
    }

    private func change(_ seq: Int64, _ host: String, _ kind: ChangeKind = .policy) -> ChangeRecord {
        ChangeRecord(seq: seq, host: host, kind: kind, at: Date(timeIntervalSince1970: 0))
    }

    @Test func theFirstLoadIsWrittenToTheFileThenTheFollowerWaitsForANotification() {
        var (machine, now) = started()
        #expect(machine.isDatabaseReachable)
        #expect(machine.hasUnpersistedChanges)
        #expect(machine.fetched([], now: now) == .persist)
        #expect(machine.persisted(now: now) == .waitForChange(deadline: now + 500 * Self.millisecond))
        #expect(!machine.hasUnpersistedChanges)
    }

    @Test func onlyRowsNotAppliedYetReloadTheirHostsAndOnlyThePartsTheirKindsTouch() {
        var (machine, now) = started(sequence: 10, reflected: [9, 10])
        let rows = [
            change(9, "mta-sts.old.test"), change(10, "mta-sts.old.test"),
            change(11, "mta-sts.a.test", .policy), change(12, "mta-sts.b.test", .challenge),
        ]
        #expect(
            machine.fetched(rows, now: now)
                == .loadHosts(["mta-sts.a.test", "mta-sts.b.test"], parts: [.policy, .challenges], sequence: 12)
        )
        #expect(machine.hostsLoaded(now: now) == .persist)
        #expect(machine.sequence == 12)
        _ = machine.persisted(now: now)
        // The same rows again (still inside the look-back window): nothing to reload.
        _ = machine.waited(now: now + Self.millisecond)
        #expect(
            machine.fetched(rows, now: now + Self.millisecond) == .waitForChange(deadline: now + 501 * Self.millisecond)
        )
    }

    @Test func aLateCommitBelowTheNewestAppliedSeqIsStillApplied() {
        var (machine, now) = started(sequence: 5, reflected: [5])
        #expect(
            machine.fetched([change(7, "mta-sts.a.test")], now: now)
                == .loadHosts(["mta-sts.a.test"], parts: .policy, sequence: 7)
        )
        _ = machine.hostsLoaded(now: now)
        _ = machine.persisted(now: now)
        _ = machine.waited(now: now)
        // Seq 6 committed after 7: the look-back re-reads it and it is applied; the sequence stays 7.
        let late = [change(5, "mta-sts.x.test"), change(6, "mta-sts.late.test", .domain), change(7, "mta-sts.a.test")]
        #expect(machine.fetched(late, now: now) == .loadHosts(["mta-sts.late.test"], parts: .all, sequence: 7))
        _ = machine.hostsLoaded(now: now)
        #expect(machine.sequence == 7)
    }

    @Test func eachKindReloadsOnlyItsPart() {
        #expect(ServedParts(changed: .policy) == .policy)
        #expect(ServedParts(changed: .certificate) == .certificate)
        #expect(ServedParts(changed: .challenge) == .challenges)
        #expect(ServedParts(changed: .domain) == .all)
    }

    @Test func aFullBatchIsFollowedByTheNextAtOnce() {
        var (machine, now) = started(sequence: 0, configuration: .init(batchSize: 2))
        let batch = [change(1, "mta-sts.a.test"), change(2, "mta-sts.b.test")]
        #expect(
            machine.fetched(batch, now: now)
                == .loadHosts(["mta-sts.a.test", "mta-sts.b.test"], parts: .policy, sequence: 2)
        )
        #expect(machine.hostsLoaded(now: now) == .fetchChanges(after: 0, limit: 2))
        #expect(
            machine.fetched([change(3, "mta-sts.c.test")], now: now)
                == .loadHosts(["mta-sts.c.test"], parts: .policy, sequence: 3)
        )
        #expect(machine.hostsLoaded(now: now) == .persist)
    }

    @Test func theFileIsWrittenAtMostOncePerPersistIntervalAndTheWaitEndsWhenTheNextWriteIsDue() {
        var (machine, now) = started()
        _ = machine.fetched([], now: now)
        _ = machine.persisted(now: now)
        let later = now + Self.second
        _ = machine.waited(now: later)
        _ = machine.fetched([change(501, "mta-sts.a.test")], now: later)
        // Written 1 s ago: not again before 5 s; the wait is the poll interval (sooner than the write).
        #expect(machine.hostsLoaded(now: later) == .waitForChange(deadline: later + 500 * Self.millisecond))
        #expect(machine.hasUnpersistedChanges)
        let close = now + 4800 * Self.millisecond
        _ = machine.waited(now: close)
        // 0.2 s before the write is due: the wait ends then, not 0.5 s later.
        #expect(machine.fetched([], now: close) == .waitForChange(deadline: now + 5 * Self.second))
        let due = now + 5 * Self.second
        _ = machine.waited(now: due)
        #expect(machine.fetched([], now: due) == .persist)
    }

    @Test func aReconcileReadsSlicesWithTheChangeLogReadBetweenThemAndOnlyACorrectedSnapshotIsWrittenAgain() {
        var (machine, now) = started(configuration: .init(reconcileSliceSize: 3))
        _ = machine.fetched([], now: now)
        _ = machine.persisted(now: now)
        // Due: the change log first, then the first slice instead of a wait.
        let reconcile = now + 60 * Self.second
        #expect(machine.waited(now: reconcile) == .fetchChanges(after: 300, limit: 1000))
        #expect(machine.fetched([], now: reconcile) == .reconcileSlice(after: "", limit: 3))
        #expect(
            machine.reconciledSlice(through: "mta-sts.c.test", changed: false, now: reconcile)
                == .fetchChanges(after: 300, limit: 1000)
        )
        // A change committed while the slice was read is applied before the next slice.
        #expect(
            machine.fetched([change(501, "mta-sts.z.test")], now: reconcile)
                == .loadHosts(["mta-sts.z.test"], parts: .policy, sequence: 501)
        )
        #expect(machine.hostsLoaded(now: reconcile) == .persist)
        #expect(machine.persisted(now: reconcile) == .reconcileSlice(after: "mta-sts.c.test", limit: 3))
        #expect(machine.sequence == 501)
        // The second slice corrected a host: the snapshot is written once the reconcile has gone on.
        #expect(
            machine.reconciledSlice(through: "mta-sts.f.test", changed: true, now: reconcile)
                == .fetchChanges(after: 301, limit: 1000)
        )
        let written = reconcile + 5 * Self.second
        #expect(machine.fetched([], now: written) == .persist)
        #expect(machine.persisted(now: written) == .reconcileSlice(after: "mta-sts.f.test", limit: 3))
        // The last slice runs to the end: the reconcile is done and the follower waits again.
        let done = written + 100 * Self.millisecond
        _ = machine.reconciledSlice(through: nil, changed: false, now: done)
        #expect(!machine.hasUnpersistedChanges)
        #expect(machine.fetched([], now: done) == .waitForChange(deadline: done + 500 * Self.millisecond))
        // The next reconcile is a minute after this one ended.
        let close = done + 59_800 * Self.millisecond
        _ = machine.waited(now: close)
        #expect(machine.fetched([], now: close) == .waitForChange(deadline: done + 60 * Self.second))
        _ = machine.waited(now: done + 60 * Self.second)
        #expect(machine.fetched([], now: done + 60 * Self.second) == .reconcileSlice(after: "", limit: 3))
    }

    @Test func aReconcileGoesOnFromItsLastSliceAfterAnOutage() {
        var (machine, now) = started(configuration: .init(reconcileSliceSize: 2))
        let reconcile = now + 60 * Self.second
        _ = machine.fetched([], now: reconcile)
        _ = machine.persisted(now: reconcile)
        _ = machine.waited(now: reconcile)
        #expect(machine.fetched([], now: reconcile) == .reconcileSlice(after: "", limit: 2))
        _ = machine.reconciledSlice(through: "mta-sts.b.test", changed: false, now: reconcile)
        #expect(machine.fetched([], now: reconcile) == .reconcileSlice(after: "mta-sts.b.test", limit: 2))
        #expect(machine.failed(now: reconcile) == .sleep(deadline: reconcile + 200 * Self.millisecond))
        let back = reconcile + 200 * Self.millisecond
        #expect(machine.slept(now: back) == .fetchChanges(after: 300, limit: 1000))
        #expect(machine.fetched([], now: back) == .reconcileSlice(after: "mta-sts.b.test", limit: 2))
    }

    @Test func aSlowReconcilePutsTheNextOneAHundredTimesItsReadingTimeAway() {
        var (machine, now) = started(configuration: .init(reconcileSliceSize: 2))
        // The first reconcile is a minute after the first load, however long that load took.
        #expect(machine.reconcileEvery == 60 * Self.second)
        let reconcile = now + 60 * Self.second
        _ = machine.fetched([], now: reconcile)
        _ = machine.persisted(now: reconcile)
        _ = machine.waited(now: reconcile)
        // Two slices of 1 s each, with 3 s of applying changes between them that do not count.
        _ = machine.fetched([], now: reconcile)
        _ = machine.reconciledSlice(through: "mta-sts.b.test", changed: false, now: reconcile + Self.second)
        _ = machine.fetched([change(501, "mta-sts.z.test")], now: reconcile + Self.second)
        #expect(
            machine.hostsLoaded(now: reconcile + 4 * Self.second) == .reconcileSlice(after: "mta-sts.b.test", limit: 2)
        )
        let ended = reconcile + 5 * Self.second
        _ = machine.reconciledSlice(through: nil, changed: false, now: ended)
        #expect(machine.reconcileEvery == 200 * Self.second)
        // 60 s later, the configured interval: the change log is read, nothing else.
        let minute = ended + 60 * Self.second
        _ = machine.fetched([], now: ended)
        _ = machine.persisted(now: ended)
        #expect(machine.waited(now: minute) == .fetchChanges(after: 301, limit: 1000))
        #expect(machine.fetched([], now: minute) == .waitForChange(deadline: minute + 500 * Self.millisecond))
        // Just before it is due, the wait ends when it is due.
        let close = ended + 199_800 * Self.millisecond
        _ = machine.waited(now: close)
        #expect(machine.fetched([], now: close) == .waitForChange(deadline: ended + 200 * Self.second))
        let due = ended + 200 * Self.second
        _ = machine.waited(now: due)
        #expect(machine.fetched([], now: due) == .reconcileSlice(after: "", limit: 2))
        // A quick reconcile brings the interval back to the configured 60 s.
        _ = machine.reconciledSlice(through: nil, changed: false, now: due + 10 * Self.millisecond)
        #expect(machine.reconcileEvery == 60 * Self.second)
    }

    @Test func theWaitNeverOutlastsTheNextReconcile() {
        var (machine, now) = started(configuration: .init(reconcileInterval: .milliseconds(300)))
        _ = machine.fetched([], now: now)
        #expect(machine.persisted(now: now) == .waitForChange(deadline: now + 300 * Self.millisecond))
    }

    @Test func aFailedFirstLoadServesTheFileThenLoadsEverythingOnceTheDatabaseAnswers() {
        let now = 1000 * Self.second
        var machine = ChangeFollowerStateMachine(now: now)
        _ = machine.start(now: now)
        #expect(machine.failed(now: now) == .restoreFromFile)
        #expect(!machine.isDatabaseReachable)
        #expect(machine.restored(now: now) == .sleep(deadline: now + 200 * Self.millisecond))
        // Still down: the backoff doubles.
        #expect(machine.slept(now: now + 200 * Self.millisecond) == .loadAll)
        #expect(machine.failed(now: now + 200 * Self.millisecond) == .sleep(deadline: now + 600 * Self.millisecond))
        // Back: a full load (owed since start), although no reconcile is due, and its result is written.
        #expect(machine.slept(now: now + 600 * Self.millisecond) == .loadAll)
        let back = now + 600 * Self.millisecond
        #expect(
            machine.loadedAll(sequence: 9, reflected: [9], changed: false, now: back)
                == .fetchChanges(after: 0, limit: 1000)
        )
        #expect(machine.isDatabaseReachable)
        #expect(machine.fetched([], now: back) == .persist)
    }

    @Test func anOutageBacksOffUpToTheCapThenCatchesUpFromTheChangeLog() {
        var (machine, now) = started(configuration: .init(maximumBackoff: .seconds(1)))
        var deadlines: [UInt64] = []
        for _ in 0..<5 {
            guard case .sleep(let deadline) = machine.failed(now: now) else {
                Issue.record("expected a sleep")
                return
            }
            deadlines.append(deadline - now)
            #expect(machine.slept(now: now) == .fetchChanges(after: 300, limit: 1000))
        }
        #expect(deadlines == [200, 400, 800, 1000, 1000].map { $0 * Self.millisecond })
        #expect(!machine.isDatabaseReachable)
        // The database answers: the change log since the snapshot's position is applied; backoff resets.
        #expect(
            machine.fetched([change(501, "mta-sts.a.test")], now: now)
                == .loadHosts(["mta-sts.a.test"], parts: .policy, sequence: 501)
        )
        #expect(machine.isDatabaseReachable)
        _ = machine.hostsLoaded(now: now)
        #expect(machine.failed(now: now) == .sleep(deadline: now + 200 * Self.millisecond))
    }

    @Test func aFailedWaitOrReloadBacksOff() {
        var (machine, now) = started()
        _ = machine.fetched([change(501, "mta-sts.a.test")], now: now)
        #expect(machine.failed(now: now) == .sleep(deadline: now + 200 * Self.millisecond))
        #expect(machine.slept(now: now) == .fetchChanges(after: 300, limit: 1000))
        _ = machine.fetched([], now: now)
        _ = machine.persisted(now: now)
        #expect(machine.failed(now: now) == .sleep(deadline: now + 200 * Self.millisecond))
    }

    @Test func rowsOfPartsTheSnapshotDoesNotHoldAdvanceThePositionWithoutAReload() {
        var (machine, now) = started(sequence: 10, configuration: .init(followedParts: [.policy, .tlsrpt]))
        let rows = [change(11, "mta-sts.a.test", .certificate), change(12, "mta-sts.b.test", .challenge)]
        #expect(machine.fetched(rows, now: now) == .persist)
        #expect(machine.sequence == 12)
        _ = machine.persisted(now: now)
        _ = machine.waited(now: now)
        let mixed = [change(13, "mta-sts.a.test", .certificate), change(14, "mta-sts.c.test", .domain)]
        #expect(
            machine.fetched(mixed, now: now) == .loadHosts(["mta-sts.c.test"], parts: [.policy, .tlsrpt], sequence: 14)
        )
        #expect(ServedParts(changed: .tlsrpt) == .tlsrpt)
    }
}

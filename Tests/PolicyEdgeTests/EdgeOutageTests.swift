import Crypto
import Database
import Foundation
import PolicyEdge
import Synchronization
import TLS
import TestSupport
import Testing

/// PostgreSQL goes away while senders keep fetching: the edge must not notice.
@Suite struct EdgeOutageTests {
    @Test func keepsServingThroughAnOutageAndAfterARestartDuringIt() throws {
        let cluster = try PostgresTestCluster.start()
        defer { cluster.destroy() }
        let url = try cluster.makeDatabase()
        let fixtures = try EdgeFixtures(url: url)
        let domain = try fixtures.addDomain("outage.test")
        let snapshotFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("edge-snapshot-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: snapshotFile) }
        let client = try fixtures.clientContext()
        let expected = EdgeFixtures.policy(mx: "mx.outage.test")

        let first = try RunningEdge(url: url, keyring: fixtures.keyring, snapshotFile: snapshotFile)
        try Poll.until(deadline: 5, "snapshot file written") { FileManager.default.fileExists(atPath: snapshotFile) }

        // Load while the database stops: every request for a known host must still succeed.
        let failures = Mutex(0)
        let successes = Mutex(0)
        let stop = Atomic<Bool>(false)
        let load = Thread {
            while !stop.load(ordering: .relaxed) {
                if (try? first.fetch(host: "mta-sts.outage.test", client: client))?.hasSuffix(expected) == true {
                    successes.withLock { $0 += 1 }
                } else {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        load.start()
        try Poll.until(deadline: 10, "load running") { successes.withLock { $0 } > 20 }
        try cluster.cluster.stop()
        let atStop = successes.withLock { $0 }
        try Poll.until(deadline: 20, "requests served during the outage") { successes.withLock { $0 } > atStop + 200 }
        stop.store(true, ordering: .relaxed)
        try Poll.until(deadline: 10, "load stopped") { load.isFinished }
        #expect(failures.withLock { $0 } == 0)

        // A fresh edge started during the outage serves from the snapshot file.
        first.stop()
        let second = try RunningEdge(url: url, keyring: fixtures.keyring, snapshotFile: snapshotFile)
        defer { second.stop() }
        #expect(try second.fetch(host: "mta-sts.outage.test", client: client).hasSuffix(expected))

        // The database returns; a new policy reaches the edge that started without it.
        try cluster.cluster.start()
        let fixturesAfter = try fixtures.reconnected(url: url)
        let updated = EdgeFixtures.policy(mode: "testing", mx: "mx2.outage.test")
        try fixturesAfter.setPolicy(domain: domain, name: "outage.test", text: updated)
        try Poll.until(deadline: 30, "edge catches up after the outage") {
            try second.fetch(host: "mta-sts.outage.test", client: client).hasSuffix(updated)
        }
    }
}

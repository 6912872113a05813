import Database
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite struct PostgresPoolTests {
    @Test func concurrentLeasesNeverExceedTheMaximum() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let pool = PostgresPool(
            configuration: .init(connectionString: url, maxConnections: 3, acquireTimeout: .seconds(20))
        )
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 24) { _ in
            do {
                try pool.withConnection { connection in
                    try connection.execute("SELECT pg_sleep(0.01)")
                }
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let backends = try pool.withConnection { connection in
            try connection.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
                .first?.decode(Int.self, at: 0)
        }
        #expect(backends ?? 99 <= 3)
        #expect(pool.statistics.open <= 3)
        #expect(pool.statistics.leased == 0)
    }

    @Test func acquireTimesOutWhenEveryConnectionIsLeased() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let pool = PostgresPool(
            configuration: .init(connectionString: url, maxConnections: 1, acquireTimeout: .milliseconds(200))
        )
        try pool.withConnection { _ in
            #expect(throws: DatabaseError(.poolTimeout, "")) {
                try pool.withConnection { _ in }
            }
        }
        // Once the outer lease ends, the connection is available again.
        try pool.withConnection { connection in try connection.execute("SELECT 1") }
    }

    @Test func errorsNeverLeakConnections() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let pool = PostgresPool(configuration: .init(connectionString: url, maxConnections: 2))
        struct Failure: Error {}
        for _ in 0..<10 {
            #expect(throws: Failure.self) { try pool.withConnection { _ in throw Failure() } }
            #expect(throws: DatabaseError(.queryFailed, "")) {
                try pool.withTransaction { try $0.execute("SELECT nope") }
            }
        }
        #expect(pool.statistics.leased == 0)
        #expect(pool.statistics.open <= 2)
        // A transaction left open by a failure was rolled back, so the next lease starts clean.
        try pool.withConnection { connection in #expect(!connection.isInTransaction) }
        // A connection returned with a transaction still open is discarded rather than reused.
        try pool.withConnection { connection in try connection.executeSimple("BEGIN") }
        #expect(pool.statistics.open <= 2)
        try pool.withConnection { connection in #expect(!connection.isInTransaction) }
    }

    @Test func closedPoolRefusesLeases() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let pool = PostgresPool(configuration: .init(connectionString: url))
        try pool.withConnection { try $0.execute("SELECT 1") }
        pool.close()
        #expect(throws: DatabaseError(.poolClosed, "")) { try pool.withConnection { _ in } }
    }

    @Test func poolRecoversAfterThePostgresServerRestarts() throws {
        let cluster = try PostgresTestCluster.start()
        defer { cluster.destroy() }
        let url = try cluster.makeDatabase()
        let pool = PostgresPool(
            configuration: .init(connectionString: url, maxConnections: 2, healthCheckAfterIdle: .zero)
        )
        let before = try pool.withConnection { connection in
            try connection.query("SELECT pg_backend_pid()").first?.decode(Int.self, at: 0)
        }
        try cluster.cluster.stop()
        #expect(throws: DatabaseError.self) { try pool.withConnection { try $0.execute("SELECT 1") } }
        try cluster.cluster.start()
        var after: Int?
        try Poll.until(deadline: 20, "pool reconnects") {
            after = try pool.withConnection { connection in
                try connection.query("SELECT pg_backend_pid()").first?.decode(Int.self, at: 0)
            }
            return after != nil
        }
        #expect(after != before)
        #expect(pool.statistics.leased == 0)
    }
}

import Database
import Foundation
import Synchronization
import TestSupport
import Testing
import Worker

@Suite struct JobQueueTests {
    private func setUp() throws -> (PostgresPool, UUID) {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let pool = PostgresPool(configuration: .init(connectionString: url, maxConnections: 8))
        let domain = try pool.withConnection { connection in
            let account = try connection.query(
                "INSERT INTO accounts (email, password_hash) VALUES ('q@example.com', \(String(repeating: "x", count: 40))) RETURNING id"
            ).first?.decode(UUID.self, at: 0)
            return try connection.query(
                "INSERT INTO domains (account_id, name, verification_token) VALUES (\(account), 'queue.test', 'tok_0123456789abcdef') RETURNING id"
            ).first?.decode(UUID.self, at: 0)
        }
        return (pool, try #require(domain))
    }

    @Test func enqueueIsIdempotentPerKindAndDomain() throws {
        let (pool, domain) = try setUp()
        let queue = JobQueue(pool: pool, workerID: "w1")
        try queue.enqueue(kind: "issue_certificate", domainID: domain, runAfter: Date().addingTimeInterval(60))
        try queue.enqueue(kind: "issue_certificate", domainID: domain)
        try queue.enqueue(kind: "issue_certificate", domainID: domain, runAfter: Date().addingTimeInterval(600))
        let count = try pool.withConnection { try $0.query("SELECT count(*) FROM jobs").first?.decode(Int.self, at: 0) }
        #expect(count == 1)
        #expect(try queue.take(kinds: ["issue_certificate"], lease: .seconds(30))?.domainID == domain)
    }

    @Test func racingWorkersNeverTakeTheSameJob() throws {
        let (pool, _) = try setUp()
        let producer = JobQueue(pool: pool, workerID: "producer")
        for index in 0..<40 {
            try producer.enqueue(
                kind: "job_\(["a", "b", "c", "d"][index % 4])",
                domainID: nil,
                runAfter: Date().addingTimeInterval(Double(-index))
            )
        }
        // 4 kinds × 1 global job each (unique per kind), so only 4 jobs exist.
        let taken = Mutex<[Int64]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let queue = JobQueue(pool: pool, workerID: "w\(index)")
            while let job = try? queue.take(kinds: ["job_a", "job_b", "job_c", "job_d"], lease: .seconds(30)) {
                taken.withLock { $0.append(job.id) }
            }
        }
        let ids = taken.withLock { $0 }
        #expect(ids.count == 4)
        #expect(Set(ids).count == ids.count)
    }

    @Test func expiredLeasesAreTakenAgainAndCompletionNeedsTheLease() throws {
        let (pool, domain) = try setUp()
        let crashed = JobQueue(pool: pool, workerID: "crashed")
        try crashed.enqueue(kind: "issue_certificate", domainID: domain)
        let first = try #require(try crashed.take(kinds: ["issue_certificate"], lease: .seconds(1)))
        let survivor = JobQueue(pool: pool, workerID: "survivor")
        #expect(try survivor.take(kinds: ["issue_certificate"], lease: .seconds(30)) == nil)
        var second: JobQueue.Job?
        try Poll.until(deadline: 10, "lease expires") {
            second = try survivor.take(kinds: ["issue_certificate"], lease: .seconds(30))
            return second != nil
        }
        #expect(second?.id == first.id)
        // The crashed worker coming back cannot finish a job it no longer holds.
        try crashed.complete(first)
        #expect(
            try pool.withConnection { try $0.query("SELECT count(*) FROM jobs").first?.decode(Int.self, at: 0) } == 1
        )
        try survivor.complete(try #require(second))
        #expect(
            try pool.withConnection { try $0.query("SELECT count(*) FROM jobs").first?.decode(Int.self, at: 0) } == 0
        )
    }

    @Test func rescheduleBacksOffAndRecordsTheError() throws {
        let (pool, domain) = try setUp()
        let queue = JobQueue(pool: pool, workerID: "w")
        try queue.enqueue(kind: "issue_certificate", domainID: domain)
        let job = try #require(try queue.take(kinds: ["issue_certificate"], lease: .seconds(30)))
        try queue.reschedule(job, at: Date().addingTimeInterval(3600), error: "CAA forbids the CA")
        #expect(try queue.take(kinds: ["issue_certificate"], lease: .seconds(30)) == nil)
        let (attempts, error) = try #require(
            try pool.withConnection { connection in
                try connection.query("SELECT attempts, last_error FROM jobs").first?.decode((Int, String?).self)
            }
        )
        #expect(attempts == 1)
        #expect(error == "CAA forbids the CA")
    }

    @Test func backoffGrowsAndIsCapped() {
        #expect(JobQueue.backoff(attempts: 0) < 40)
        #expect(JobQueue.backoff(attempts: 3) > 200)
        #expect(JobQueue.backoff(attempts: 50) <= 6 * 3600 * 1.1)
    }
}

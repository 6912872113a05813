import Database
import Foundation
import Store
import Synchronization
import TestSupport
import Testing

@Suite struct JobQueueTests {
    /// A store and `count` claimed domains to attach jobs to.
    private func setUp(domains count: Int = 1) throws -> (StoreFixture, [UUID]) {
        let fixture = try StoreFixture()
        let account = try fixture.account("q@example.com")
        let domains = try (0..<count).map { try fixture.domain(account, "queue\($0).test", limit: count).id }
        return (fixture, domains)
    }

    @Test func enqueueIsIdempotentPerKindAndDomain() throws {
        let (fixture, domains) = try setUp()
        let queue = fixture.store.jobs(workerID: "w1")
        try queue.enqueue(kind: .issueCertificate, domainID: domains[0], runAfter: Date().addingTimeInterval(60))
        try queue.enqueue(kind: .issueCertificate, domainID: domains[0])
        try queue.enqueue(kind: .issueCertificate, domainID: domains[0], runAfter: Date().addingTimeInterval(600))
        #expect(try fixture.count("jobs") == 1)
        #expect(try queue.take(kinds: [.issueCertificate], lease: .seconds(30))?.domainID == domains[0])
    }

    @Test func racingWorkersNeverTakeTheSameJob() throws {
        let (fixture, domains) = try setUp(domains: 4)
        let producer = fixture.store.jobs(workerID: "producer")
        for (index, domain) in domains.enumerated() {
            for _ in 0..<10 {
                try producer.enqueue(
                    kind: .issueCertificate,
                    domainID: domain,
                    runAfter: Date().addingTimeInterval(Double(-index))
                )
            }
        }
        // One pending job per kind and domain, so only 4 jobs exist.
        let taken = Mutex<[Int64]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let queue = fixture.store.jobs(workerID: "w\(index)")
            while let job = try? queue.take(kinds: [.issueCertificate], lease: .seconds(30)) {
                taken.withLock { $0.append(job.id) }
            }
        }
        let ids = taken.withLock { $0 }
        #expect(ids.count == 4)
        #expect(Set(ids).count == ids.count)
    }

    @Test func expiredLeasesAreTakenAgainAndCompletionNeedsTheLease() throws {
        let (fixture, domains) = try setUp()
        let crashed = fixture.store.jobs(workerID: "crashed")
        try crashed.enqueue(kind: .issueCertificate, domainID: domains[0])
        let first = try #require(try crashed.take(kinds: [.issueCertificate], lease: .seconds(1)))
        let survivor = fixture.store.jobs(workerID: "survivor")
        #expect(try survivor.take(kinds: [.issueCertificate], lease: .seconds(30)) == nil)
        var second: JobQueue.Job?
        try Poll.until(deadline: 10, "lease expires") {
            second = try survivor.take(kinds: [.issueCertificate], lease: .seconds(30))
            return second != nil
        }
        #expect(second?.id == first.id)
        // The crashed worker coming back cannot finish a job it no longer holds.
        try crashed.complete(first)
        #expect(try fixture.count("jobs") == 1)
        try survivor.complete(try #require(second))
        #expect(try fixture.count("jobs") == 0)
    }

    @Test func rescheduleBacksOffAndRecordsTheError() throws {
        let (fixture, domains) = try setUp()
        let queue = fixture.store.jobs(workerID: "w")
        try queue.enqueue(kind: .issueCertificate, domainID: domains[0])
        let job = try #require(try queue.take(kinds: [.issueCertificate], lease: .seconds(30)))
        try queue.reschedule(job, at: Date().addingTimeInterval(3600), error: "CAA forbids the CA")
        #expect(try queue.take(kinds: [.issueCertificate], lease: .seconds(30)) == nil)
        let (attempts, error) = try #require(
            try fixture.pool.withConnection { connection in
                try connection.query("SELECT attempts, last_error FROM jobs").first?.decode((Int, String?).self)
            }
        )
        #expect(attempts == 1)
        #expect(error == "CAA forbids the CA")
    }
}

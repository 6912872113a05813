package import Database
import Foundation
package import Logging
import Store
import Synchronization

/// The background worker: a scheduler thread that queues due work, and job threads that run it.
///
/// The scheduler wakes on `NOTIFY mtasts_changes` (a domain was verified, a policy changed) or every
/// `scanInterval`, queues certificate issuance and renewals, stops work for domains no longer served, finishes
/// offboarding (RFC 8461 §8.3) and cleans up. Job threads take jobs from PostgreSQL with `SKIP LOCKED`, so any
/// number of worker processes cooperate; `concurrency` caps the ACME orders this process runs at once.
package final class WorkerService: Sendable {
    package struct Configuration: Sendable {
        package var concurrency: Int
        package var scanInterval: Duration
        package var jobLease: Duration
        package var cleanupInterval: Duration

        package init(
            concurrency: Int = 4,
            scanInterval: Duration = .seconds(5),
            jobLease: Duration = .seconds(900),
            cleanupInterval: Duration = .seconds(60)
        ) {
            self.concurrency = max(1, concurrency)
            self.scanInterval = scanInterval
            self.jobLease = jobLease
            self.cleanupInterval = cleanupInterval
        }
    }

    private let configuration: Configuration
    private let connectionString: String
    private let queue: JobQueue
    private let repository: CertificateRepository
    private let store: Store
    private let issuer: CertificateIssuer
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()

    package init(
        configuration: Configuration,
        pool: PostgresPool,
        connectionString: String,
        issuer: CertificateIssuer,
        workerID: String,
        logger: Logger
    ) {
        self.configuration = configuration
        self.connectionString = connectionString
        self.queue = JobQueue(pool: pool, workerID: workerID)
        self.repository = CertificateRepository(pool: pool)
        self.store = Store(pool: pool)
        self.issuer = issuer
        self.logger = logger
    }

    /// Starts the scheduler and the job threads.
    package func start() {
        spawn("worker-scheduler") { [self] in runScheduler() }
        for index in 0..<configuration.concurrency {
            spawn("worker-\(index)") { [self] in runJobs() }
        }
        logger.info("worker started", ["concurrency": String(configuration.concurrency)])
    }

    /// Stops taking jobs, lets running jobs finish, and waits for every thread.
    package func stop() {
        stopped.store(true, ordering: .relaxed)
        for _ in 0...configuration.concurrency { wake.signal() }
        finished.wait()
    }

    /// One scheduling pass (also used by tests): queue due work, stop unserved domains, finish offboarding.
    package func scheduleOnce(cleanUp: Bool) throws {
        try repository.stopUnservedDomains()
        let offboarded = try store.domains.completeOffboarding(at: Date())
        for name in offboarded { logger.info("offboarding finished; domain deleted", ["domain": name]) }
        let queued = try repository.enqueueDueWork()
        if cleanUp { try repository.cleanUp() }
        if queued > 0 || !offboarded.isEmpty {
            for _ in 0..<configuration.concurrency { wake.signal() }
        }
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        finished.enter()
        let thread = Thread { [finished] in
            body()
            finished.leave()
        }
        thread.name = name
        thread.start()
    }

    private func runScheduler() {
        var listener: PostgresConnection?
        var lastCleanup = ContinuousClock.now - configuration.cleanupInterval
        while !stopped.load(ordering: .relaxed) {
            do {
                let cleanUp = ContinuousClock.now - lastCleanup >= configuration.cleanupInterval
                try scheduleOnce(cleanUp: cleanUp)
                if cleanUp { lastCleanup = .now }
                if listener == nil || listener?.isOpen == false {
                    let connection = try PostgresConnection(connectionString: connectionString)
                    try connection.listen(ChangeLogRepository.channel)
                    listener = connection
                }
                _ = try listener?.waitForNotifications(timeout: min(configuration.scanInterval, .seconds(1)))
            } catch {
                logger.warning("worker scheduling failed; retrying", ["error": "\(error)"])
                listener = nil
                _ = wake.wait(timeout: .now() + 2)
            }
        }
    }

    private func runJobs() {
        let lease = configuration.jobLease
        while !stopped.load(ordering: .relaxed) {
            let job: JobQueue.Job?
            do {
                job = try queue.take(kinds: ["issue_certificate"], lease: lease)
            } catch {
                logger.warning("cannot take a job", ["error": "\(error)"])
                _ = wake.wait(timeout: .now() + 2)
                continue
            }
            guard let job else {
                _ = wake.wait(timeout: .now() + 1)
                continue
            }
            guard let domainID = job.domainID else {
                try? queue.complete(job)
                continue
            }
            switch issuer.handle(domainID: domainID, attempts: job.attempts) {
            case .done:
                do { try queue.complete(job) } catch { logger.warning("cannot complete a job", ["error": "\(error)"]) }
            case .retry(let at, let error, let countsAsAttempt):
                do {
                    try queue.reschedule(job, at: at, error: error, countsAsAttempt: countsAsAttempt)
                } catch {
                    logger.warning("cannot reschedule a job", ["error": "\(error)"])
                }
            }
        }
    }
}

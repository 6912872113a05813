import Foundation
package import Logging
package import Store
import Synchronization

/// The background worker: a scheduler thread that queues due work, and job threads that run it.
///
/// The scheduler wakes on `NOTIFY mtasts_changes` (a domain was verified, a policy changed) or every
/// `scanInterval`, queues certificate issuance and renewals, stops work for domains no longer served, finishes
/// offboarding (RFC 8461 §8.3) and cleans up; at start and every `keyAuditInterval` it first makes due the
/// certificates whose private key the master keys cannot decrypt (``CertificateKeyAudit``). Job threads take
/// jobs from PostgreSQL with `SKIP LOCKED`, so any number of worker processes cooperate; `concurrency` caps the
/// ACME orders this process runs at once. Delivery threads send the notification outbox's webhook deliveries
/// (``WebhookDeliverer``), so a slow receiver never holds up certificates.
package final class WorkerService: Sendable {
    package struct Configuration: Sendable {
        package var concurrency: Int
        package var scanInterval: Duration
        package var jobLease: Duration
        package var cleanupInterval: Duration
        /// The platform's own hosts whose certificates the worker keeps current (`MTASTS_API_HOSTNAME`,
        /// `MTASTS_REPORTS_HOSTNAME`).
        package var platformHosts: [String]
        /// How often the ``CertificateKeyAudit`` looks for certificate keys the master keys cannot decrypt
        /// (also once at start).
        package var keyAuditInterval: Duration
        /// Webhook deliveries this process makes at once.
        package var deliveryConcurrency: Int
        /// Days the audit log keeps an entry (`MTASTS_AUDIT_LOG_DAYS`).
        package var auditLogDays: Int

        package init(
            concurrency: Int = 4,
            scanInterval: Duration = .seconds(5),
            jobLease: Duration = .seconds(900),
            cleanupInterval: Duration = .seconds(60),
            platformHosts: [String] = [],
            keyAuditInterval: Duration = .seconds(600),
            deliveryConcurrency: Int = 2,
            auditLogDays: Int = AuditLogRepository.defaultRetentionDays
        ) {
            self.auditLogDays = auditLogDays
            self.concurrency = max(1, concurrency)
            self.scanInterval = scanInterval
            self.jobLease = jobLease
            self.cleanupInterval = cleanupInterval
            self.platformHosts = platformHosts
            self.keyAuditInterval = keyAuditInterval
            self.deliveryConcurrency = max(1, deliveryConcurrency)
        }
    }

    private let configuration: Configuration
    private let queue: JobQueue
    private let store: DataStore
    private let listener: ChangeListener
    private let issuer: CertificateIssuer
    private let domainChecker: DomainChecker?
    private let keyAudit: CertificateKeyAudit?
    private let deliverer: WebhookDeliverer?
    private let mailer: EmailAlertDeliverer?
    private let planner: MXChangePlanner?
    private let metrics: WorkerMetrics?
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let deliveryWake = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()

    /// - Parameters:
    ///   - store: the worker's own store (its pool sized for the job threads).
    ///   - listener: tells the scheduler of changes (a domain verified, a policy changed).
    ///   - keyAudit: re-issues certificates whose key cannot be decrypted; nil skips the audit.
    ///   - deliverer: sends webhook deliveries; nil leaves them to other workers.
    ///   - mailer: sends alert e-mail through the operator's relay; nil leaves it to other workers.
    ///   - planner: moves MX-change plans on; nil leaves them to other workers.
    ///   - metrics: refreshed by the scheduler for the admin listener's `/metrics`.
    ///   - workerID: names this process in job leases.
    package init(
        configuration: Configuration,
        store: DataStore,
        listener: ChangeListener,
        issuer: CertificateIssuer,
        domainChecker: DomainChecker? = nil,
        keyAudit: CertificateKeyAudit? = nil,
        deliverer: WebhookDeliverer? = nil,
        mailer: EmailAlertDeliverer? = nil,
        planner: MXChangePlanner? = nil,
        metrics: WorkerMetrics? = nil,
        workerID: String,
        logger: Logger
    ) {
        self.configuration = configuration
        self.queue = store.jobs(workerID: workerID)
        self.store = store
        self.listener = listener
        self.issuer = issuer
        self.domainChecker = domainChecker
        self.keyAudit = keyAudit
        self.deliverer = deliverer
        self.mailer = mailer
        self.planner = planner
        self.metrics = metrics
        self.logger = logger
    }

    /// Starts the scheduler and the job threads.
    package func start() {
        spawn("worker-scheduler") { [self] in runScheduler() }
        for index in 0..<configuration.concurrency {
            spawn("worker-\(index)") { [self] in runJobs() }
        }
        if let deliverer {
            for index in 0..<configuration.deliveryConcurrency {
                spawn("worker-webhooks-\(index)") { [self] in runDeliveries("webhook", deliverer.deliverNext) }
            }
        }
        if let mailer {
            spawn("worker-mail") { [self] in runDeliveries("e-mail", mailer.deliverNext) }
        }
        logger.info("worker started", ["concurrency": String(configuration.concurrency)])
    }

    /// Stops taking jobs, lets running jobs finish, and waits for every thread.
    package func stop() {
        stopped.store(true, ordering: .relaxed)
        listener.cancel()
        for _ in 0...configuration.concurrency { wake.signal() }
        for _ in 0...configuration.deliveryConcurrency { deliveryWake.signal() }
        finished.wait()
    }

    /// One scheduling pass (also used by tests): queue due work, stop unserved domains, finish offboarding.
    /// - Parameter auditKeys: first make due the certificates whose key cannot be decrypted (``CertificateKeyAudit``).
    package func scheduleOnce(cleanUp: Bool, auditKeys: Bool = false) throws {
        let now = Date()
        if auditKeys { try keyAudit?.run(at: now) }
        try store.certificates.stopUnservedDomains(at: now)
        let offboarded = try store.domains.completeOffboarding(at: now)
        for name in offboarded { logger.info("offboarding finished; domain deleted", ["domain": name]) }
        var queued = try store.certificates.enqueueDueWork(at: now)
        // One job serves every platform host (the job queue holds one global job per kind).
        for host in configuration.platformHosts where try store.platformCertificates.enqueueDue(host: host, at: now) {
            queued += 1
            break
        }
        if domainChecker != nil { queued += try store.domainChecks.enqueueDue(at: now) }
        if planner != nil { queued += try store.mxChanges.enqueueDue(at: now) }
        if cleanUp { try store.retention.purge(at: now, auditLogDays: configuration.auditLogDays) }
        if let metrics { try metrics.refresh(store: store, at: now) }
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
        var lastCleanup = ContinuousClock.now - configuration.cleanupInterval
        var lastKeyAudit = ContinuousClock.now - configuration.keyAuditInterval
        while !stopped.load(ordering: .relaxed) {
            do {
                let cleanUp = ContinuousClock.now - lastCleanup >= configuration.cleanupInterval
                let auditKeys = ContinuousClock.now - lastKeyAudit >= configuration.keyAuditInterval
                try scheduleOnce(cleanUp: cleanUp, auditKeys: auditKeys)
                if cleanUp { lastCleanup = .now }
                if auditKeys { lastKeyAudit = .now }
                _ = try listener.wait(timeout: min(configuration.scanInterval, .seconds(1)))
            } catch {
                logger.warning("worker scheduling failed; retrying", ["error": "\(error)"])
                listener.reset()
                _ = wake.wait(timeout: .now() + 2)
            }
        }
    }

    /// Sends due deliveries of one channel until stopped, looking again every second when none is due.
    private func runDeliveries(_ channel: String, _ deliverNext: () throws -> Bool) {
        while !stopped.load(ordering: .relaxed) {
            do {
                if try deliverNext() { continue }
            } catch {
                logger.warning("cannot take or record a \(channel) delivery", ["error": "\(error)"])
            }
            _ = deliveryWake.wait(timeout: .now() + 1)
        }
    }

    private func runJobs() {
        let lease = configuration.jobLease
        var kinds: [JobKind] = domainChecker == nil ? [.issueCertificate] : [.issueCertificate, .checkDomain]
        if planner != nil { kinds.append(.advanceMXChange) }
        if !configuration.platformHosts.isEmpty { kinds.append(.issuePlatformCertificate) }
        while !stopped.load(ordering: .relaxed) {
            let job: JobQueue.Job?
            do {
                job = try queue.take(kinds: kinds, lease: lease)
            } catch {
                logger.warning("cannot take a job", ["error": "\(error)"])
                _ = wake.wait(timeout: .now() + 2)
                continue
            }
            guard let job else {
                _ = wake.wait(timeout: .now() + 1)
                continue
            }
            let outcome: JobOutcome =
                switch (job.kind, job.domainID) {
                case (.issueCertificate, let domainID?): issuer.handle(domainID: domainID, attempts: job.attempts)
                case (.checkDomain, let domainID?): domainChecker?.handle(domainID: domainID) ?? .done
                case (.advanceMXChange, let domainID?): planner?.handle(domainID: domainID) ?? .done
                case (.issuePlatformCertificate, _): handlePlatformHosts(attempts: job.attempts)
                default: .done
                }
            metrics?.recordJob(kind: job.kind.rawValue, outcome: outcome)
            switch outcome {
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

    /// Orders or renews the certificate of each platform host that needs it; retries at the earliest time one asks.
    private func handlePlatformHosts(attempts: Int) -> JobOutcome {
        var retry: JobOutcome?
        for host in configuration.platformHosts {
            let outcome = issuer.handlePlatform(host: host, attempts: attempts)
            guard case .retry(let at, _, _) = outcome else { continue }
            if case .retry(let earliest, _, _)? = retry, earliest <= at { continue }
            retry = outcome
        }
        return retry ?? .done
    }
}

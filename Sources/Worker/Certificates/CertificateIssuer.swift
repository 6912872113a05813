package import ACME
import Checks
package import Crypto
package import DNS
package import Foundation
package import Logging
import MTASTS
package import Store
import Synchronization

/// Handles `issue_certificate` jobs: checks the CNAME and CAA, orders through ACME, stores the result.
///
/// Every outcome is written to `certificate_states` so tenants see why nothing happened yet ("waiting for
/// CNAME" with the exact record, "CAA forbids", the CA's problem detail).
package final class CertificateIssuer: Sendable {
    /// What to do with the job afterwards.
    package typealias Outcome = JobOutcome

    package struct Settings: Sendable {
        package var edgeHostname: String
        /// Issuer domains of the CA for CAA (`letsencrypt.org`); the directory's `caaIdentities` are added.
        package var caaIdentities: [String]
        /// The platform's order budget, shared by every worker through PostgreSQL.
        package var budget: ACMEOrderBudgetRepository.Budget
        /// Orders refused in a row for one name before the worker waits for its tenant.
        package var maximumFailedOrders: Int

        package init(
            edgeHostname: String,
            caaIdentities: [String],
            budget: ACMEOrderBudgetRepository.Budget = .init(),
            maximumFailedOrders: Int = 5
        ) {
            self.edgeHostname = edgeHostname
            self.caaIdentities = caaIdentities
            self.budget = budget
            self.maximumFailedOrders = maximumFailedOrders
        }
    }

    /// A new order must wait for the budget.
    private struct BudgetDeferral: Error {
        let until: Date
        let reason: String
    }

    private let store: DataStore
    private let keyring: Keyring
    private let dns: DNSClient
    private let settings: Settings
    private let publisher: any ChallengePublisher
    private let makeClient: @Sendable () throws -> ACMEClient
    private let client = Mutex<ACMEClient?>(nil)
    private let logger: Logger
    private let metrics: WorkerMetrics?

    /// - Parameter metrics: counts each ACME order by outcome.
    package init(
        store: DataStore,
        keyring: Keyring,
        dns: DNSClient,
        settings: Settings,
        publisher: any ChallengePublisher,
        makeClient: @escaping @Sendable () throws -> ACMEClient,
        metrics: WorkerMetrics? = nil,
        logger: Logger
    ) {
        self.metrics = metrics
        self.store = store
        self.keyring = keyring
        self.dns = dns
        self.settings = settings
        self.publisher = publisher
        self.makeClient = makeClient
        self.logger = logger
    }

    package func handle(domainID: UUID, attempts: Int, now: Date = Date()) -> Outcome {
        do {
            return try process(domainID: domainID, attempts: attempts, now: now)
        } catch  where DataStore.isUnavailable(error) {
            // The database is busy or briefly away: try again soon, without counting it against the domain.
            logger.warning("certificate job postponed", ["domain_id": domainID.uuidString, "error": "\(error)"])
            return .retry(at: now.addingTimeInterval(5), error: "\(error)", countsAsAttempt: false)
        } catch {
            // A nonce race, CA hiccup or network failure outside an order (registering the account, reading the
            // directory) is retried in seconds, as one inside an order is; anything else after a minute, doubling.
            let transient = (error as? ACMEError)?.isTransient == true
            logger.log(
                transient ? .warning : .error,
                "certificate job failed",
                ["domain_id": domainID.uuidString, "error": "\(error)"]
            )
            return .retry(
                at: now.addingTimeInterval(RetryBackoff.delay(attempts: attempts, base: .seconds(transient ? 2 : 60))),
                error: "\(error)",
                countsAsAttempt: true
            )
        }
    }

    private func process(domainID: UUID, attempts: Int, now: Date) throws -> Outcome {
        guard let domain = try store.certificates.servedDomain(id: domainID) else {
            try? store.certificates.setState(domainID: domainID, status: .stopped, error: nil)
            return .done
        }
        let host = domain.domainName.policyHost
        let current = try store.certificates.current(domainID: domainID)
        if let current, let renewAfter = current.renewAfter, renewAfter > now { return .done }
        let logger = self.logger.with(["domain": domain.name])

        switch EdgeTargetCheck.check(host: host, edgeHostname: settings.edgeHostname, client: dns) {
        case .pointsToEdge:
            break
        case .missing:
            let message = "waiting for CNAME: add \(host). CNAME \(settings.edgeHostname)."
            try store.certificates.setState(domainID: domainID, status: .waitingForCNAME, error: message)
            return .retry(
                at: now.addingTimeInterval(Self.waitingDelay(attempts)),
                error: message,
                countsAsAttempt: true
            )
        case .wrong(let found):
            let message = "\(host) must be a CNAME to \(settings.edgeHostname); found \(found)"
            try store.certificates.setState(domainID: domainID, status: .waitingForCNAME, error: message)
            return .retry(
                at: now.addingTimeInterval(Self.waitingDelay(attempts)),
                error: message,
                countsAsAttempt: true
            )
        case .lookupFailed(let reason):
            return .retry(
                at: now.addingTimeInterval(Self.waitingDelay(attempts)),
                error: "DNS lookup failed: \(reason)",
                countsAsAttempt: true
            )
        }

        let client = try acmeClient()
        let directory = try client.directory()
        let identities = settings.caaIdentities + (directory.meta?.caaIdentities ?? [])
        let decision: CAAPolicy.Decision
        do {
            (decision, _) = try CAAPolicy.evaluate(name: host, caIdentities: identities) { name throws(DNSError) in
                try dns.caa(name)
            }
        } catch {
            // No CA issues while a CAA lookup fails (RFC 8659 §3): look again as for a failed CNAME lookup, not
            // after the minute, doubling to hours, of other failures.
            return .retry(
                at: now.addingTimeInterval(Self.waitingDelay(attempts)),
                error: "DNS lookup failed: CAA for \(host): \(error)",
                countsAsAttempt: true
            )
        }
        if case .forbidden(let reason) = decision {
            try store.certificates.setState(domainID: domainID, status: .caaForbidden, error: reason)
            logger.notice("CAA forbids issuance", ["reason": reason])
            return .retry(at: now.addingTimeInterval(3600), error: reason, countsAsAttempt: false)
        }

        do {
            let key = try P256PrivateKey.generate()
            let issued = try order(domain: domain, key: key, client: client, renewing: current != nil, now: now)
            let renewAfter = try renewalTime(chainPEM: issued.certificateChainPEM, client: client, now: now)
            let leaf = try storeIssued(
                domain: domain,
                renewing: current != nil,
                chainPEM: issued.certificateChainPEM,
                key: issued.privateKey,
                renewAfter: renewAfter,
                now: now
            )
            metrics?.recordOrder(outcome: "issued")
            logger.info(
                "certificate issued",
                [
                    "not_after": "\(leaf.notAfter)", "renew_after": "\(renewAfter)", "serial": leaf.serialHex,
                ]
            )
            return .done
        } catch let deferral as BudgetDeferral {
            metrics?.recordOrder(outcome: "deferred")
            try store.certificates.setState(
                domainID: domainID,
                status: current != nil ? .renewing : .ordering,
                error: "waiting: \(deferral.reason)"
            )
            return .retry(at: deferral.until, error: deferral.reason, countsAsAttempt: false)
        } catch let error as ACMEError {
            let detail = error.problem.map { "\($0.type): \($0.detail ?? "")" } ?? error.message
            logger.warning("ACME order failed", ["error": "\(error)"])
            if error.problem?.type == .rateLimited {
                metrics?.recordOrder(outcome: "rate_limited")
                try? store.certificates.setState(domainID: domainID, status: .failed, error: "ACME: \(detail)")
                return .retry(
                    at: error.retryAfter ?? now.addingTimeInterval(3600),
                    error: detail,
                    countsAsAttempt: true
                )
            }
            // Nonce races, CA hiccups and network trouble pass quickly; a refused order waits longer, and after
            // a few refusals in a row the name waits for its tenant instead of using the budget forever.
            let transient = error.isTransient
            metrics?.recordOrder(outcome: transient ? "transient" : "rejected")
            if transient {
                try? store.certificates.setState(domainID: domainID, status: .failed, error: "ACME: \(detail)")
            } else if try store.certificates.recordFailedOrder(
                domainID: domainID,
                error: "ACME: \(detail)",
                limit: settings.maximumFailedOrders
            ) {
                store.recordWorkerAction(
                    "certificate.fail",
                    domain: domain,
                    at: now,
                    details: ["error": detail, "waiting_for_tenant": "true"],
                    logger: logger
                )
                logger.notice(
                    "orders failed too often; waiting for the tenant",
                    ["failed_orders": String(settings.maximumFailedOrders)]
                )
                return .done
            }
            if !transient {
                store.recordWorkerAction(
                    "certificate.fail",
                    domain: domain,
                    at: now,
                    details: ["error": detail],
                    logger: logger
                )
            }
            let base: Duration = transient ? .seconds(2) : .seconds(60)
            return .retry(
                at: now.addingTimeInterval(RetryBackoff.delay(attempts: attempts, base: base)),
                error: detail,
                countsAsAttempt: true
            )
        }
    }

    /// Handles the `issue_platform_certificate` job: orders (or renews) the certificate of the platform's own
    /// `host` (`MTASTS_API_HOSTNAME`), which the API listener serves. The CA validates through the edge's plain-HTTP
    /// listener like for tenants' hosts, so `host` must resolve to the edges; the order counts against the budget
    /// as the platform's, not any tenant's.
    package func handlePlatform(host: String, attempts: Int, now: Date = Date()) -> Outcome {
        let logger = self.logger.with(["host": host])
        do {
            let current = try store.platformCertificates.current(host: host)
            if let current, current.notAfter > now, let renewAfter = current.renewAfter, renewAfter > now {
                return .done
            }
            let client = try acmeClient()
            let directory = try client.directory()
            let identities = settings.caaIdentities + (directory.meta?.caaIdentities ?? [])
            let (decision, _) = try CAAPolicy.evaluate(name: host, caIdentities: identities) { name throws(DNSError) in
                try dns.caa(name)
            }
            if case .forbidden(let reason) = decision {
                try store.platformCertificates.recordFailure(host: host, error: reason, at: now)
                logger.error("CAA forbids the platform's certificate", ["reason": reason])
                return .retry(at: now.addingTimeInterval(3600), error: reason, countsAsAttempt: false)
            }
            let admission = try store.acmeOrders.admit(
                domainID: nil,
                accountID: nil,
                renewal: current != nil,
                budget: settings.budget,
                at: now
            )
            if case .deferred(let until, let reason) = admission {
                metrics?.recordOrder(outcome: "deferred")
                return .retry(at: until, error: reason, countsAsAttempt: false)
            }
            let key = try P256PrivateKey.generate()
            let handle = try client.newOrder(for: [host])
            let issued = try client.completeOrder(at: handle.url, certificateKey: key, publisher: publisher)
            let chain = try X509Certificate.chain(fromPEM: issued.certificateChainPEM)
            guard let leaf = chain.first, leaf.matchesPrivateKey(issued.privateKey) else {
                throw CertificateLifecycleError("the downloaded certificate does not match its private key")
            }
            let renewAfter = try renewalTime(chainPEM: issued.certificateChainPEM, client: client, now: now)
            try store.platformCertificates.store(
                host: host,
                chainPEM: issued.certificateChainPEM,
                leaf: leaf,
                privateKeyPEM: try issued.privateKey.pemRepresentation,
                keyring: keyring,
                renewAfter: renewAfter,
                at: now
            )
            metrics?.recordOrder(outcome: "issued")
            logger.info("platform certificate issued", ["not_after": "\(leaf.notAfter)", "serial": leaf.serialHex])
            return .done
        } catch {
            let detail =
                (error as? ACMEError).flatMap { $0.problem.map { "\($0.type): \($0.detail ?? "")" } } ?? "\(error)"
            let transient = (error as? ACMEError)?.isTransient == true
            if error is ACMEError { metrics?.recordOrder(outcome: transient ? "transient" : "rejected") }
            try? store.platformCertificates.recordFailure(host: host, error: detail, at: now)
            logger.error("platform certificate order failed", ["error": detail])
            // As for tenants' hosts: what passes in seconds is retried in seconds.
            return .retry(
                at: now.addingTimeInterval(RetryBackoff.delay(attempts: attempts, base: .seconds(transient ? 2 : 30))),
                error: detail,
                countsAsAttempt: !DataStore.isUnavailable(error)
            )
        }
    }

    /// Resumes an order a killed worker left behind when it can still be finalised with a fresh key,
    /// otherwise places a new one within the platform's order budget. The order URL is saved before anything is
    /// published.
    /// - Throws: `BudgetDeferral` when the budget has no room for a new order now.
    private func order(
        domain: DomainRecord,
        key: P256PrivateKey,
        client: ACMEClient,
        renewing: Bool,
        now: Date
    ) throws -> ACMEIssuedCertificate {
        if let previous = try store.certificates.pendingOrderURL(domainID: domain.id),
            let issued = try? client.completeOrder(at: previous, certificateKey: key, publisher: publisher),
            let leaf = try? X509Certificate.chain(fromPEM: issued.certificateChainPEM).first,
            leaf.matchesPrivateKey(key)
        {
            logger.info("resumed an interrupted order", ["domain": domain.name, "order": previous])
            return issued
        }
        let admission = try store.acmeOrders.admit(
            domainID: domain.id,
            accountID: domain.accountID,
            renewal: renewing,
            budget: settings.budget,
            at: now
        )
        if case .deferred(let until, let reason) = admission {
            logger.info("order deferred by the budget", ["domain": domain.name, "until": until.formatted(.iso8601)])
            throw BudgetDeferral(until: until, reason: reason)
        }
        let handle = try client.newOrder(for: [domain.domainName.policyHost])
        try store.certificates.setState(
            domainID: domain.id,
            status: renewing ? .renewing : .ordering,
            error: nil,
            orderURL: handle.url
        )
        return try client.completeOrder(at: handle.url, certificateKey: key, publisher: publisher)
    }

    /// Checks that the downloaded chain belongs to `key`, seals the key with the master key and stores the
    /// certificate as the host's current one (which tells the edges).
    private func storeIssued(
        domain: DomainRecord,
        renewing: Bool,
        chainPEM: String,
        key: P256PrivateKey,
        renewAfter: Date,
        now: Date
    ) throws -> X509Certificate {
        let host = domain.domainName.policyHost
        let chain = try X509Certificate.chain(fromPEM: chainPEM)
        guard let leaf = chain.first, leaf.matchesPrivateKey(key) else {
            throw CertificateLifecycleError("the downloaded certificate does not match its private key")
        }
        try store.certificates.store(
            domainID: domain.id,
            host: host,
            chainPEM: chainPEM,
            leaf: leaf,
            privateKeyPEM: try key.pemRepresentation,
            keyring: keyring,
            renewAfter: renewAfter,
            audit: .worker(
                accountID: domain.accountID,
                action: renewing ? "certificate.renew" : "certificate.issue",
                target: domain.name,
                at: now,
                details: ["host": host, "serial": leaf.serialHex, "not_after": leaf.notAfter.formatted(.iso8601)]
            )
        )
        return leaf
    }

    private func renewalTime(chainPEM: String, client: ACMEClient, now: Date) throws -> Date {
        guard let leaf = try X509Certificate.chain(fromPEM: chainPEM).first else {
            throw CertificateLifecycleError("empty certificate chain")
        }
        var window: ARIWindow?
        if let certID = leaf.ariCertID, let info = try? client.renewalInfo(for: certID) {
            window = info.window
        }
        var random = SystemRandomNumberGenerator()
        return RenewalSchedule.renewalTime(
            notBefore: leaf.notBefore,
            notAfter: leaf.notAfter,
            ari: window,
            now: now,
            random: &random
        )
    }

    /// The ACME client, loaded (and the account registered) once; concurrent jobs wait for the first load
    /// instead of each registering an account.
    private func acmeClient() throws -> ACMEClient {
        try client.withLock { client in
            if let client { return client }
            let created = try makeClient()
            client = created
            return created
        }
    }

    /// Re-check a missing CNAME twice a second for the first two minutes (tenants usually add it right after
    /// verifying, and the certificate should follow within seconds), then back off to every five minutes.
    static func waitingDelay(_ attempts: Int) -> TimeInterval {
        attempts < 240 ? 0.5 : min(300, pow(2, Double(min(attempts - 240, 9))))
    }
}

extension ACMEError {
    /// Nonce races, CA hiccups and network trouble: they pass in seconds.
    fileprivate var isTransient: Bool {
        code == .transport || code == .timedOut
            || [.badNonce, .serverInternal, .connection].contains(problem?.type)
    }
}

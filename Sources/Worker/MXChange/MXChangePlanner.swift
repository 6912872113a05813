package import DNS
package import Foundation
package import Logging
import MTASTS
package import Store

/// Handles `advance_mx_change` jobs: moves a domain's MX-change plan on. A waiting plan becomes ready once every
/// policy version published before it has expired from senders' caches (the tenant is told to switch the MX
/// records now); a ready plan watches the live MX records and, once every live host is covered without the old
/// provider's patterns, finishes: the old patterns go and `max_age` is restored (the id rotates).
package struct MXChangePlanner: Sendable {
    private let store: DataStore
    private let dns: DNSClient
    private let watchInterval: TimeInterval
    private let logger: Logger

    /// - Parameter watchInterval: how often a ready plan looks at the live MX records.
    package init(store: DataStore, dns: DNSClient, watchInterval: TimeInterval = 300, logger: Logger) {
        self.store = store
        self.dns = dns
        self.watchInterval = watchInterval
        self.logger = logger
    }

    /// One step for the domain's plan in progress, at `now`.
    package func handle(domainID: UUID, now: Date = Date()) -> JobOutcome {
        do {
            guard let plan = try store.mxChanges.latest(domainID: domainID),
                let domain = try store.domains.find(id: domainID)
            else { return .done }
            if [.waiting, .ready].contains(plan.state), domain.status != .verified {
                // Offboarding or deleted: there is no policy to move on any more.
                if try store.mxChanges.cancel(domainID: domainID, at: now) != nil {
                    store.recordWorkerAction("mx_change.cancel", domain: domain, at: now, logger: logger)
                }
                logger.info("MX change cancelled: the domain is no longer verified", ["domain": domain.name])
                return .done
            }
            switch plan.state {
            case .waiting:
                guard now >= plan.safeAt else { return .done }
                if try store.mxChanges.markReady(planID: plan.id, at: now, nextCheckAt: now) {
                    store.recordWorkerAction("mx_change.ready", domain: domain, at: now, logger: logger)
                    logger.info("MX change ready: the tenant may switch the MX records", ["domain": domain.name])
                }
            case .ready:
                try watch(domain, plan, at: now)
            case .completed, .cancelled:
                break
            }
            return .done
        } catch {
            return .retry(
                at: now.addingTimeInterval(60),
                error: "\(error)",
                countsAsAttempt: !DataStore.isUnavailable(error)
            )
        }
    }

    /// Looks at the live MX; finishes the plan once they are all on hosts the kept patterns cover.
    private func watch(_ domain: DomainRecord, _ plan: MXChangePlanRecord, at now: Date) throws {
        let next = now.addingTimeInterval(watchInterval)
        let hosts: [String]
        do {
            hosts = try dns.mx(domain.name).map { $0.exchange.description.lowercased() }
        } catch {
            logger.info("MX lookup failed while watching an MX change", ["domain": domain.name, "error": "\(error)"])
            try store.mxChanges.observe(planID: plan.id, mx: plan.observedMX ?? [], at: now, nextCheckAt: next)
            return
        }
        guard let policy = try store.policies.current(domainID: domain.id) else {
            _ = try store.mxChanges.cancel(domainID: domain.id, at: now)
            return
        }
        let removed = Set(plan.remove)
        let kept = policy.mx.filter { !removed.contains($0) }.compactMap { try? MXPattern(parsing: $0) }
        let switched = !hosts.isEmpty && hosts.allSatisfy { host in kept.contains { $0.matches(host) } }
        guard switched,
            let (completed, rotated) = try store.mxChanges.complete(planID: plan.id, observedMX: hosts, at: now)
        else {
            try store.mxChanges.observe(planID: plan.id, mx: hosts, at: now, nextCheckAt: next)
            return
        }
        store.recordWorkerAction(
            "policy.rotate",
            domain: domain,
            at: now,
            details: [
                "reason": "mx_change", "old_policy_id": policy.policyID, "policy_id": rotated.policyID,
                "mode": rotated.mode.rawValue,
            ],
            logger: logger
        )
        logger.info(
            "MX change completed",
            ["domain": domain.name, "mx": completed.observedMX?.joined(separator: ",") ?? ""]
        )
    }
}

package import Foundation
package import Store
import Synchronization

/// The worker's `/metrics` (Prometheus text) on `MTASTS_WORKER_ADMIN_LISTEN`: what an operator alerts on,
/// refreshed by the scheduler (never queried on the admin listener's event loop).
package final class WorkerMetrics: Sendable {
    private let latest = Mutex<(metrics: OperatorMetrics, at: Date)?>(nil)
    /// Jobs handled by this process, by kind and outcome (`done`, `retry`).
    private let jobs = Mutex<[String: [String: UInt64]]>([:])
    /// ACME orders this process placed, by outcome.
    private let orders = Mutex<[String: UInt64]>([:])

    package init() {}

    /// Reads the figures from the database.
    package func refresh(store: DataStore, at now: Date) throws {
        let metrics = try store.operatorMetrics.snapshot(at: now)
        latest.withLock { $0 = (metrics, now) }
    }

    /// Counts a handled job.
    package func recordJob(kind: String, outcome: JobOutcome) {
        let name =
            switch outcome {
            case .done: "done"
            case .retry: "retry"
            }
        jobs.withLock { $0[kind, default: [:]][name, default: 0] += 1 }
    }

    /// Counts an ACME order by how it ended: `issued`, `rejected` (the CA refused it), `rate_limited`,
    /// `transient` (network, nonce or CA hiccup), `deferred` (held back by the platform's order budget).
    package func recordOrder(outcome: String) {
        orders.withLock { $0[outcome, default: 0] += 1 }
    }

    /// The Prometheus text document; only the counters and the refresh age before the first refresh.
    package func render(now: Date = Date()) -> String {
        var text = "# HELP mtasts_worker_jobs_total Jobs this worker handled, by kind and outcome.\n"
        text += "# TYPE mtasts_worker_jobs_total counter\n"
        for (kind, outcomes) in jobs.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            for (outcome, count) in outcomes.sorted(by: { $0.key < $1.key }) {
                text += "mtasts_worker_jobs_total{kind=\"\(kind)\",outcome=\"\(outcome)\"} \(count)\n"
            }
        }
        text += "# HELP mtasts_acme_orders_total ACME orders this worker placed, by outcome.\n"
        text += "# TYPE mtasts_acme_orders_total counter\n"
        for (outcome, count) in orders.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            text += "mtasts_acme_orders_total{outcome=\"\(outcome)\"} \(count)\n"
        }
        guard let (metrics, at) = latest.withLock({ $0 }) else {
            return text + "# HELP mtasts_worker_metrics_age_seconds Seconds since the figures were read.\n"
                + "# TYPE mtasts_worker_metrics_age_seconds gauge\n"
        }
        func family(_ name: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for sample in samples { text += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        func labelled(_ label: String, _ values: [String: Int], known: [String] = []) -> [(String, Int)] {
            let keys = Set(values.keys).union(known).sorted()
            return keys.map { ("{\(label)=\"\($0)\"}", values[$0] ?? 0) }
        }
        text += "# HELP mtasts_worker_metrics_age_seconds Seconds since the figures were read.\n"
        text += "# TYPE mtasts_worker_metrics_age_seconds gauge\n"
        text += "mtasts_worker_metrics_age_seconds \(String(format: "%.3f", now.timeIntervalSince(at)))\n"
        family(
            "mtasts_certificates_expiring_soon",
            "Issued certificates of served domains that expire within 14 days.",
            [("", metrics.certificatesExpiringSoon)]
        )
        text += "# HELP mtasts_certificates_by_days_to_expiry Current certificates of served domains and of the "
        text += "platform's hosts that expire within the given number of days (cumulative).\n"
        text += "# TYPE mtasts_certificates_by_days_to_expiry gauge\n"
        for bucket in metrics.certificatesByDaysToExpiry {
            let label = bucket.bound.map(String.init) ?? "+Inf"
            text += "mtasts_certificates_by_days_to_expiry{le=\"\(label)\"} \(bucket.count)\n"
        }
        family(
            "mtasts_certificates_failing",
            "Certificates of served domains whose issuance or renewal is failing, by status.",
            labelled("status", metrics.certificatesFailing, known: ["failed", "waiting_for_tenant", "caa_forbidden"])
        )
        family(
            "mtasts_alert_conditions_open",
            "Open alert conditions by code (error findings of the checks, certificate conditions, MX changes).",
            labelled("code", metrics.openAlerts)
        )
        family(
            "mtasts_domains_by_check_severity",
            "Served domains by the worst severity of their last check (none: nothing found).",
            labelled("severity", metrics.domainsBySeverity, known: ["none", "info", "warning", "error"])
        )
        family(
            "mtasts_alert_deliveries_failed",
            "Alert deliveries given up on after a day of retries, in the last 24 hours, by channel.",
            labelled("channel", metrics.deliveriesFailed, known: ["webhook"])
        )
        family(
            "mtasts_alert_deliveries_pending",
            "Alert deliveries waiting for their next attempt, by channel.",
            labelled("channel", metrics.deliveriesPending, known: ["webhook"])
        )
        return text
    }
}

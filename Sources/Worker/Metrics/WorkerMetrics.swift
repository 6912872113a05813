package import Foundation
package import HTTPCore
package import Store
import Synchronization
import WebServer

/// The worker's `/metrics` (Prometheus text) on `MTASTS_WORKER_ADMIN_LISTEN`: what an operator alerts on,
/// refreshed by the scheduler (never queried on the admin listener's event loop).
package final class WorkerMetrics: Sendable {
    private let latest = Mutex<(metrics: OperatorMetrics, at: Date)?>(nil)

    package init() {}

    /// Reads the figures from the database.
    package func refresh(store: DataStore, at now: Date) throws {
        let metrics = try store.operatorMetrics.snapshot(at: now)
        latest.withLock { $0 = (metrics, now) }
    }

    /// The Prometheus text document; only the refresh age before the first refresh.
    package func render(now: Date = Date()) -> String {
        guard let (metrics, at) = latest.withLock({ $0 }) else {
            return "# HELP mtasts_worker_metrics_age_seconds Seconds since the figures were read.\n"
                + "# TYPE mtasts_worker_metrics_age_seconds gauge\n"
        }
        var text = ""
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

/// Answers `GET /metrics` from ``WorkerMetrics``; anything else is 404.
package struct WorkerMetricsResponder: HTTPResponder {
    private let metrics: WorkerMetrics

    package init(metrics: WorkerMetrics) {
        self.metrics = metrics
    }

    package func respond(to request: HTTPRequest) -> HTTPResponse {
        guard request.head.path == "/metrics" else {
            return HTTPResponse(status: .notFound, body: Array("404 Not Found\n".utf8))
        }
        var fields = HTTPFields()
        fields.set(.contentType, "text/plain; version=0.0.4; charset=utf-8")
        return HTTPResponse(status: .ok, fields: fields, body: Array(metrics.render().utf8))
    }
}

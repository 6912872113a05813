import Foundation
import Synchronization

/// Requests the API answered, by route template and status, with a latency histogram per route: the API
/// role's `/metrics` (on `MTASTS_API_ADMIN_LISTEN`). Route templates (`/v1/domains/{name}`) keep the label
/// set bounded whatever paths clients send; unknown paths count as `unmatched`, the web form's files as
/// `static`.
package final class APIMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds (`+Inf` is implied).
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct RouteKey: Hashable {
        var method: String
        var route: String
    }

    private struct Latency {
        var counts: [UInt64] = Array(repeating: 0, count: APIMetrics.buckets.count)
        var count: UInt64 = 0
        var sum: Double = 0
    }

    private struct State {
        var responses: [RouteKey: [Int: UInt64]] = [:]
        var latencies: [RouteKey: Latency] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// Counts one answered request.
    func record(method: String, route: String, status: Int, seconds: Double) {
        let key = RouteKey(method: method, route: route)
        state.withLock { state in
            state.responses[key, default: [:]][status, default: 0] += 1
            var latency = state.latencies[key] ?? Latency()
            latency.count += 1
            latency.sum += seconds
            if let bucket = Self.buckets.firstIndex(where: { seconds <= $0 }) { latency.counts[bucket] += 1 }
            state.latencies[key] = latency
        }
    }

    /// The Prometheus text document.
    package func render() -> String {
        let state = state.withLock { $0 }
        var text = "# HELP mtasts_api_requests_total Requests answered, by method, route template and status.\n"
        text += "# TYPE mtasts_api_requests_total counter\n"
        let keys = state.responses.keys.sorted { ($0.route, $0.method) < ($1.route, $1.method) }
        for key in keys {
            for (status, count) in (state.responses[key] ?? [:]).sorted(by: { $0.key < $1.key }) {
                text += "mtasts_api_requests_total{\(labels(key)),code=\"\(status)\"} \(count)\n"
            }
        }
        text += "# HELP mtasts_api_request_duration_seconds Time from the parsed request to the response, by route.\n"
        text += "# TYPE mtasts_api_request_duration_seconds histogram\n"
        for key in keys {
            guard let latency = state.latencies[key] else { continue }
            var cumulative: UInt64 = 0
            for (bound, count) in zip(Self.buckets, latency.counts) {
                cumulative += count
                text += "mtasts_api_request_duration_seconds_bucket{\(labels(key)),le=\"\(bound)\"} \(cumulative)\n"
            }
            text += "mtasts_api_request_duration_seconds_bucket{\(labels(key)),le=\"+Inf\"} \(latency.count)\n"
            text += "mtasts_api_request_duration_seconds_sum{\(labels(key))} \(String(format: "%.6f", latency.sum))\n"
            text += "mtasts_api_request_duration_seconds_count{\(labels(key))} \(latency.count)\n"
        }
        return text
    }

    private func labels(_ key: RouteKey) -> String {
        "method=\"\(key.method)\",route=\"\(key.route)\""
    }
}

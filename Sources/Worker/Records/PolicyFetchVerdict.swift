package import Checks
package import Store

/// Whether the policy a sender would fetch (`https://mta-sts.<domain>/.well-known/mta-sts.txt`, found through
/// the configured resolvers and verified against the configured roots) is the policy the platform serves.
package enum PolicyFetchVerdict {
    /// The verdict for `host` whose current policy text is `currentText`.
    package static func evaluate(
        _ observation: PolicyFetchObservation,
        host: String,
        currentText: String
    ) -> (status: PolicyFetchStatus, detail: String) {
        let url = "https://\(host)/.well-known/mta-sts.txt"
        switch observation {
        case .response(200, let body) where body == currentText:
            return (.served, "\(url) serves the current policy.")
        case .response(200, _):
            return (.mismatch, "\(url) answers with another policy text than the current one (an edge is catching up).")
        case .response(let status, _):
            return (.unreachable, "\(url) answered HTTP \(status) instead of the policy.")
        case .failed(let reason):
            return (.unreachable, "\(url) could not be fetched: \(reason).")
        }
    }
}

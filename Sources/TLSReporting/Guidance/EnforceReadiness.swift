/// Whether a domain whose policy is `testing` is ready for `enforce`, and if not, what is missing.
///
/// The rollout every guide gives: run `testing` for a few weeks, read the TLS reports, then enforce. Ready means
/// at least `requiredDays` UTC days covered by reports since testing began, no failure in them that `enforce`
/// would turn into undelivered mail (``ResultTypeGuide/blocksEnforce(_:)``), and a latest check without errors.
///
/// ```swift
/// let readiness = EnforceReadiness(requiredDays: 14, reportDays: 15, failures: [:], latestCheckHasErrors: false)
/// readiness.isReady   // true
/// ```
package struct EnforceReadiness: Sendable, Equatable {
    package var requiredDays: Int
    package var reportDays: Int
    /// Failed sessions by result type that would block delivery under `enforce`.
    package var blockingFailures: [String: Int]
    /// Whether the latest check found errors; nil when the domain was never checked.
    package var latestCheckHasErrors: Bool?

    package init(requiredDays: Int, reportDays: Int, failures: [String: Int], latestCheckHasErrors: Bool?) {
        self.requiredDays = requiredDays
        self.reportDays = reportDays
        blockingFailures = failures.filter { ResultTypeGuide.blocksEnforce($0.key) && $0.value > 0 }
        self.latestCheckHasErrors = latestCheckHasErrors
    }

    /// Sentences naming what is missing, empty when ready.
    package var missing: [String] {
        var missing: [String] = []
        if reportDays < requiredDays {
            missing.append(
                "TLS reports cover \(reportDays) of the \(requiredDays) days needed since the policy went to testing."
            )
        }
        for (type, count) in blockingFailures.sorted(by: { $0.key < $1.key }) {
            missing.append("Reports show \(count) session\(count == 1 ? "" : "s") failing with \(type).")
        }
        switch latestCheckHasErrors {
        case true?: missing.append("The latest check of the domain found errors.")
        case nil: missing.append("The domain has not been checked yet.")
        case false?: break
        }
        return missing
    }

    package var isReady: Bool { missing.isEmpty }
}

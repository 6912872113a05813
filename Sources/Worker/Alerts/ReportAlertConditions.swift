package import Foundation
package import Store

/// Alert conditions from a domain's TLS reports (docs/reports.md, "Alerts"): too many sessions failing TLS in the
/// last days, and a reporter that stopped reporting while others still do. Pure; ``DomainChecker`` adds them to
/// the check's conditions, so they open and clear with the same notifications.
package enum ReportAlertConditions {
    /// The failure rate of the recent window above which the domain is alerted.
    package static let failureRateThreshold = 0.05
    /// Sessions the recent window needs before its rate means anything.
    package static let minimumSessions = 20
    /// How far back "recent" reaches, in days.
    package static let recentDays = 3
    /// Days without a report after which a reporter counts as silent (senders report daily).
    package static let silentDays = 3

    /// The conditions that hold.
    /// - Parameters:
    ///   - recent: the summary of the reports of the last ``recentDays`` days.
    ///   - month: the summary of the last 30 days (who reported at all).
    package static func evaluate(
        domain: String,
        recent: ReportSummary,
        month: ReportSummary,
        now: Date
    )
        -> [AlertCondition]
    {
        var conditions: [AlertCondition] = []
        let failed = recent.days.reduce(0) { $0 + $1.failedSessions }
        let total = failed + recent.days.reduce(0) { $0 + $1.successfulSessions }
        if total >= minimumSessions, Double(failed) / Double(total) > failureRateThreshold {
            let percent = Int((Double(failed) * 100 / Double(total)).rounded())
            var detail = ""
            if let top = recent.failuresByResultType.first {
                detail = ", mostly \(top.key)"
                if let mx = recent.failuresByReceivingMX.first, !mx.key.isEmpty { detail += " (most at \(mx.key))" }
            }
            conditions.append(
                AlertCondition(
                    code: "tlsrpt-failure-rate",
                    severity: "warning",
                    message: "Senders' TLS reports of the last \(recentDays) days show \(failed) of \(total) sessions "
                        + "to \(domain) failing (\(percent) %)\(detail).",
                    fix: "Open the domain's TLS reports (GET /v1/domains/\(domain)/reports/summary): each result type "
                        + "says what to fix; under enforce these sessions would not deliver."
                )
            )
        }
        let silentBefore = now.addingTimeInterval(-Double(silentDays) * 86_400)
        let silent = month.reporters.filter { $0.lastReportEnd < silentBefore }
        let active = month.reporters.contains { $0.lastReportEnd >= silentBefore }
        if !silent.isEmpty, active {
            let names = silent.map(\.organizationName).sorted()
            conditions.append(
                AlertCondition(
                    code: "tlsrpt-reporter-silent",
                    severity: "warning",
                    message: "\(names.joined(separator: ", ")) stopped sending TLS reports for \(domain) (none for "
                        + "\(silentDays) days) while others still do.",
                    fix: "Check that _smtp._tls.\(domain) still lists the platform's reporting addresses "
                        + "(GET /v1/domains/\(domain)/dns-records); a sender that lost the policy stops reporting too."
                )
            )
        }
        return conditions
    }
}

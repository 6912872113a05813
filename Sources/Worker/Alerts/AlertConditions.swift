package import Checks
package import Foundation
package import Store

/// Which alert conditions hold for a served domain after a check: every code of an `error` finding (id drift,
/// a removed CNAME, an uncovered MX host, …), the platform's certificate failing to renew or close to expiry,
/// and a change of the live MX hosts since the previous check. Pure; ``DomainChecker`` reconciles the result
/// with the open conditions so each alerts once when it appears and once when it clears.
package enum AlertConditions {
    /// Days before expiry from which the served certificate is an alert.
    package static let certificateWarningDays = 14

    /// The conditions that hold.
    /// - Parameters:
    ///   - certificate: the worker's state of `mta-sts.<domain>`'s certificate.
    ///   - previousMX: the live MX hosts the previous check saw; nil when unknown.
    package static func evaluate(
        report: CheckReport,
        certificate: CertificateStateRecord?,
        previousMX: [String]?,
        now: Date
    ) -> [AlertCondition] {
        var conditions: [AlertCondition] = []
        var byCode: [CheckCode: [CheckFinding]] = [:]
        for finding in report.findings where finding.severity == .error {
            byCode[finding.code, default: []].append(finding)
        }
        for code in CheckCode.allCases {
            guard let findings = byCode[code], let first = findings.first else { continue }
            let more = findings.count > 1 ? " (and \(findings.count - 1) more like it)" : ""
            conditions.append(
                AlertCondition(code: code.rawValue, severity: "error", message: first.message + more, fix: first.fix)
            )
        }
        let host = "mta-sts.\(report.domain)"
        if let certificate {
            if [.failed, .waitingForTenant, .caaForbidden].contains(certificate.status) {
                conditions.append(
                    AlertCondition(
                        code: "certificate-renewal-failing",
                        severity: "error",
                        message: "The certificate of \(host) could not be "
                            + (certificate.notAfter == nil ? "issued" : "renewed") + ": "
                            + (certificate.lastError ?? certificate.status.rawValue) + ".",
                        fix: certificate.status == .waitingForTenant
                            ? "Fix the cause, then ask for a new order (POST /v1/domains/\(report.domain)/certificate/retry)."
                            : "Fix the cause named above; the platform keeps trying."
                    )
                )
            }
            if let notAfter = certificate.notAfter,
                notAfter.timeIntervalSince(now) < Double(certificateWarningDays) * 86_400
            {
                let days = max(0, Int(notAfter.timeIntervalSince(now) / 86_400))
                conditions.append(
                    AlertCondition(
                        code: "certificate-expiring",
                        severity: "error",
                        message: "The certificate of \(host) expires in \(days) day\(days == 1 ? "" : "s") "
                            + "(\(notAfter.formatted(.iso8601))); when it does, senders cannot fetch the policy.",
                        fix: "Keep mta-sts.\(report.domain) a CNAME to the platform's edge and CAA open to its CA, so "
                            + "the renewal can succeed."
                    )
                )
            }
        }
        if let previousMX, let current = report.observed.mxHosts, Set(previousMX) != Set(current) {
            let added = current.filter { !previousMX.contains($0) }
            let removed = previousMX.filter { !current.contains($0) }
            var change: [String] = []
            if !added.isEmpty { change.append("added \(added.joined(separator: ", "))") }
            if !removed.isEmpty { change.append("removed \(removed.joined(separator: ", "))") }
            conditions.append(
                AlertCondition(
                    code: "mx-changed",
                    severity: "warning",
                    message: "The MX records of \(report.domain) changed: \(change.joined(separator: "; ")).",
                    fix:
                        "If this is a provider move, make sure the policy's mx patterns cover the new hosts (the check "
                        + "reports mx-uncovered otherwise); POST /v1/domains/\(report.domain)/mx-change plans it safely."
                )
            )
        }
        return conditions
    }
}

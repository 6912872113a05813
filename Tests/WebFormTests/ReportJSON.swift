import Foundation
import TLSReporting

/// The JSON a sender writes for a report (RFC 8460 §4.4), for the reports the journey stores as received.
enum ReportJSON {
    /// `report` as RFC 8460 JSON, keys sorted.
    static func text(of report: TLSReport) throws -> String {
        let policies: [[String: Any]] = report.policies.map { policy in
            [
                "policy": [
                    "policy-type": policy.policyType,
                    "policy-string": policy.policyString,
                    "policy-domain": policy.policyDomain,
                    "mx-host": policy.mxHosts,
                ],
                "summary": [
                    "total-successful-session-count": policy.successfulSessions,
                    "total-failure-session-count": policy.failedSessions,
                ],
                "failure-details": policy.failureDetails.map(failure),
            ]
        }
        let object: [String: Any] = [
            "organization-name": report.organizationName,
            "date-range": ["start-datetime": dateTime(report.start), "end-datetime": dateTime(report.end)],
            "contact-info": report.contactInfo ?? NSNull(),
            "report-id": report.reportID,
            "policies": policies,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// `2026-11-28`: the UTC day of `date`.
    static func day(_ date: Date) -> String {
        String(dateTime(date).prefix(10))
    }

    /// `2026-11-28T00:00:00Z`.
    static func dateTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// One `failure-details` element, with only the members the sender gave.
    private static func failure(_ failure: TLSReportFailure) -> [String: Any] {
        var members: [String: Any] = [
            "result-type": failure.resultType,
            "failed-session-count": failure.failedSessionCount,
        ]
        let optional: [(String, String?)] = [
            ("sending-mta-ip", failure.sendingMTAIP),
            ("receiving-mx-hostname", failure.receivingMXHostname),
            ("receiving-mx-helo", failure.receivingMXHelo),
            ("receiving-ip", failure.receivingIP),
            ("additional-information", failure.additionalInformation),
            ("failure-reason-code", failure.failureReasonCode),
        ]
        for (key, value) in optional {
            if let value { members[key] = value }
        }
        return members
    }
}

package import Foundation

/// The domain a reporting token routes to.
package struct ReportTokenTarget: Sendable, Hashable, Codable {
    package var domainID: UUID
    package var domainName: String

    package init(domainID: UUID, domainName: String) {
        self.domainID = domainID
        self.domainName = domainName
    }
}

/// How a report reached the platform.
package enum ReportChannel: String, Sendable, Hashable, Codable, CaseIterable {
    /// POSTed to the HTTPS address (RFC 8460 §5.4).
    case https
    /// Mailed to the reporting address (RFC 8460 §5.3).
    case smtp
    /// Handed over by the operator's own MTA through `mtasts reports import`.
    case `import`
}

/// One stored report as the list shows it.
package struct StoredReportListing: Sendable, Hashable {
    package var id: UUID
    package var organizationName: String
    package var contactInfo: String?
    package var reportID: String
    package var start: Date
    package var end: Date
    package var receivedAt: Date
    package var channel: ReportChannel
    package var successfulSessions: Int
    package var failedSessions: Int
    /// The ids of the domain's policy versions the sender applied (sorted); empty when none matched.
    package var appliedPolicyIDs: [String]
    /// Whether some policy of the report matched none of the domain's versions.
    package var hasUnmatchedPolicy: Bool
}

/// One policy of a stored report.
package struct StoredReportPolicy: Sendable, Hashable {
    package var policyType: String
    package var policyDomain: String
    package var mxHosts: [String]
    package var policyString: [String]
    package var appliedPolicyID: String?
    package var successfulSessions: Int
    package var failedSessions: Int
    package var failures: [StoredReportFailure]
}

/// One failure detail of a stored report.
package struct StoredReportFailure: Sendable, Hashable {
    package var resultType: String
    package var sendingMTAIP: String?
    package var receivingMXHostname: String?
    package var receivingMXHelo: String?
    package var receivingIP: String?
    package var failedSessionCount: Int
    package var additionalInformation: String?
    package var failureReasonCode: String?
}

/// A stored report with everything in it.
package struct StoredReport: Sendable, Hashable {
    package var listing: StoredReportListing
    package var policies: [StoredReportPolicy]
    /// The report's JSON as the sender wrote it.
    package var rawJSON: String
}

/// Totals over a period, for the summary view and enforce readiness.
package struct ReportSummary: Sendable, Hashable {
    /// Sessions per UTC day of the reports' start.
    package struct Day: Sendable, Hashable {
        package var date: Date
        package var successfulSessions: Int
        package var failedSessions: Int
        package var reports: Int

        package init(date: Date, successfulSessions: Int, failedSessions: Int, reports: Int) {
            self.date = date
            self.successfulSessions = successfulSessions
            self.failedSessions = failedSessions
            self.reports = reports
        }
    }
    /// Failed sessions by one key (a result type, a receiving MX).
    package struct Count: Sendable, Hashable {
        package var key: String
        package var failedSessions: Int

        package init(key: String, failedSessions: Int) {
            self.key = key
            self.failedSessions = failedSessions
        }
    }
    /// What one reporter sent.
    package struct Reporter: Sendable, Hashable {
        package var organizationName: String
        package var reports: Int
        package var successfulSessions: Int
        package var failedSessions: Int
        /// The end of the newest report's period.
        package var lastReportEnd: Date
        /// The policy id applied in the newest report that matched one, if any.
        package var lastAppliedPolicyID: String?

        package init(
            organizationName: String,
            reports: Int,
            successfulSessions: Int,
            failedSessions: Int,
            lastReportEnd: Date,
            lastAppliedPolicyID: String?
        ) {
            self.organizationName = organizationName
            self.reports = reports
            self.successfulSessions = successfulSessions
            self.failedSessions = failedSessions
            self.lastReportEnd = lastReportEnd
            self.lastAppliedPolicyID = lastAppliedPolicyID
        }
    }

    package var days: [Day]
    package var failuresByResultType: [Count]
    package var failuresByReceivingMX: [Count]
    package var reporters: [Reporter]

    package init(days: [Day], failuresByResultType: [Count], failuresByReceivingMX: [Count], reporters: [Reporter]) {
        self.days = days
        self.failuresByResultType = failuresByResultType
        self.failuresByReceivingMX = failuresByReceivingMX
        self.reporters = reporters
    }
}

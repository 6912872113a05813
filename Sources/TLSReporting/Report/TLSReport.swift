package import Foundation

/// One SMTP TLS report (RFC 8460 §4.4) as a sender wrote it, with its values checked and bounded.
///
/// Built by ``TLSReportParser``; every string is valid UTF-8 without NUL characters (they are replaced), so it can
/// be stored as text as is.
///
/// ```swift
/// let report = try TLSReportParser.parse(jsonBytes)
/// report.organizationName     // "Google Inc."
/// report.totalFailedSessions  // 3
/// ```
package struct TLSReport: Sendable, Equatable {
    /// `organization-name`: who sent the report.
    package var organizationName: String
    /// `date-range.start-datetime`.
    package var start: Date
    /// `date-range.end-datetime`.
    package var end: Date
    /// `contact-info`, when the sender gave one (some send `null`).
    package var contactInfo: String?
    /// `report-id`, unique per sender.
    package var reportID: String
    /// One entry per policy the sender evaluated.
    package var policies: [TLSReportPolicy]

    package init(
        organizationName: String,
        start: Date,
        end: Date,
        contactInfo: String?,
        reportID: String,
        policies: [TLSReportPolicy]
    ) {
        self.organizationName = organizationName
        self.start = start
        self.end = end
        self.contactInfo = contactInfo
        self.reportID = reportID
        self.policies = policies
    }

    /// Sessions that negotiated TLS as the policies required, over all policies.
    package var totalSuccessfulSessions: Int { policies.reduce(0) { $0 + $1.successfulSessions } }
    /// Sessions that failed, over all policies.
    package var totalFailedSessions: Int { policies.reduce(0) { $0 + $1.failedSessions } }
    /// The distinct `policy-domain`s of the report, lower-cased and sorted.
    package var policyDomains: [String] { Set(policies.map { $0.policyDomain.lowercased() }).sorted() }
}

/// One `policies` element of a report: the policy the sender applied and what happened under it.
package struct TLSReportPolicy: Sendable, Equatable {
    /// `policy-type`: `sts`, `tlsa` or `no-policy-found` (RFC 8460 §4.4), kept verbatim when unknown.
    package var policyType: String
    /// `policy-string`: the lines of the policy the sender applied (empty when the sender omitted it).
    package var policyString: [String]
    /// `policy-domain`.
    package var policyDomain: String
    /// `mx-host`: a string or an array in the wild, always a list here.
    package var mxHosts: [String]
    /// `summary.total-successful-session-count`.
    package var successfulSessions: Int
    /// `summary.total-failure-session-count`.
    package var failedSessions: Int
    /// `failure-details`.
    package var failureDetails: [TLSReportFailure]

    package init(
        policyType: String,
        policyString: [String],
        policyDomain: String,
        mxHosts: [String],
        successfulSessions: Int,
        failedSessions: Int,
        failureDetails: [TLSReportFailure]
    ) {
        self.policyType = policyType
        self.policyString = policyString
        self.policyDomain = policyDomain
        self.mxHosts = mxHosts
        self.successfulSessions = successfulSessions
        self.failedSessions = failedSessions
        self.failureDetails = failureDetails
    }
}

/// One `failure-details` element: a kind of failure and how many sessions it hit.
package struct TLSReportFailure: Sendable, Equatable {
    /// `result-type` (RFC 8460 §4.3), kept verbatim: the registry grows by Expert Review.
    package var resultType: String
    package var sendingMTAIP: String?
    package var receivingMXHostname: String?
    package var receivingMXHelo: String?
    package var receivingIP: String?
    /// `failed-session-count`.
    package var failedSessionCount: Int
    package var additionalInformation: String?
    package var failureReasonCode: String?

    package init(
        resultType: String,
        sendingMTAIP: String? = nil,
        receivingMXHostname: String? = nil,
        receivingMXHelo: String? = nil,
        receivingIP: String? = nil,
        failedSessionCount: Int,
        additionalInformation: String? = nil,
        failureReasonCode: String? = nil
    ) {
        self.resultType = resultType
        self.sendingMTAIP = sendingMTAIP
        self.receivingMXHostname = receivingMXHostname
        self.receivingMXHelo = receivingMXHelo
        self.receivingIP = receivingIP
        self.failedSessionCount = failedSessionCount
        self.additionalInformation = additionalInformation
        self.failureReasonCode = failureReasonCode
    }
}

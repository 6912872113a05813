package import Foundation

/// One version of a domain's MTA-STS policy as the platform served it, for matching reports against.
package struct PolicyVersion: Sendable, Equatable {
    /// The id announced in the `_mta-sts` record.
    package var policyID: String
    /// The policy file exactly as served.
    package var text: String
    /// When it began to be served.
    package var servedFrom: Date
    /// When the next version replaced it; nil for the current one.
    package var servedUntil: Date?

    package init(policyID: String, text: String, servedFrom: Date, servedUntil: Date?) {
        self.policyID = policyID
        self.text = text
        self.servedFrom = servedFrom
        self.servedUntil = servedUntil
    }
}

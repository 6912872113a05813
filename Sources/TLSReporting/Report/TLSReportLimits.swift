/// Caps on what one report may contain: reports are untrusted input (RFC 8460 §7).
///
/// The defaults are far above what real senders write (Google's and Microsoft's daily reports are a few KiB with a
/// handful of policies and failure details) and far below what would hurt the importer or the database.
package struct TLSReportLimits: Sendable, Equatable {
    /// The JSON document, after decompression.
    package var maximumBytes: Int
    /// Elements of `policies`.
    package var maximumPolicies: Int
    /// Elements of `failure-details`, over all policies.
    package var maximumFailureDetails: Int
    /// Elements of each `policy-string` and `mx-host`.
    package var maximumListElements: Int
    /// Characters of any one string.
    package var maximumStringLength: Int
    /// Largest session count accepted (so sums never overflow).
    package var maximumSessionCount: Int

    package init(
        maximumBytes: Int = 4 << 20,
        maximumPolicies: Int = 100,
        maximumFailureDetails: Int = 5_000,
        maximumListElements: Int = 200,
        maximumStringLength: Int = 2_048,
        maximumSessionCount: Int = 1_000_000_000_000
    ) {
        self.maximumBytes = maximumBytes
        self.maximumPolicies = maximumPolicies
        self.maximumFailureDetails = maximumFailureDetails
        self.maximumListElements = maximumListElements
        self.maximumStringLength = maximumStringLength
        self.maximumSessionCount = maximumSessionCount
    }

    /// The limits reports are accepted with.
    package static let standard = TLSReportLimits()
}

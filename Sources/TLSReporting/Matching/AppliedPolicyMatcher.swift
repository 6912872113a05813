package import Foundation

/// Finds which version of a domain's policy a sender applied, from the `policy-string` of its report.
///
/// RFC 8460 §4.5 has senders repeat the policy they applied line by line. Lines are compared after trimming,
/// lower-casing (every MTA-STS field is case-insensitive in effect: host names, modes, the version token as we
/// write it) and sorting (senders need not keep the order). When the same text was served more than once under
/// different ids, the version served during the report's period wins, else the latest.
///
/// ```swift
/// let id = AppliedPolicyMatcher.match(policy.policyString, reportStart: report.start,
///                                     reportEnd: report.end, among: history)   // "20261130T101500"
/// ```
package enum AppliedPolicyMatcher {
    /// The id of the version whose text is `policyString`, or nil when no version has that text.
    package static func match(
        _ policyString: [String],
        reportStart: Date,
        reportEnd: Date,
        among versions: [PolicyVersion]
    ) -> String? {
        let wanted = normalized(policyString)
        guard !wanted.isEmpty else { return nil }
        let candidates = versions.filter { normalized(lines(of: $0.text)) == wanted }
        let overlapping = candidates.filter { version in
            version.servedFrom <= reportEnd && (version.servedUntil.map { $0 >= reportStart } ?? true)
        }
        return (overlapping.isEmpty ? candidates : overlapping).max { $0.servedFrom < $1.servedFrom }?.policyID
    }

    /// The lines of a policy file (CRLF or LF), as senders list them.
    package static func lines(of text: String) -> [String] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init)
    }

    /// Lines trimmed, lower-cased, spaces around the first colon removed, blank lines dropped, sorted.
    static func normalized(_ lines: [String]) -> [String] {
        lines.compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces).lowercased()
            guard !trimmed.isEmpty else { return nil }
            guard let colon = trimmed.firstIndex(of: ":") else { return trimmed }
            let key = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return key + ":" + value
        }.sorted()
    }
}

package import DNS
import Foundation

/// Whether CAA records allow our CA to issue for a name (RFC 8659).
package enum CAAPolicy {
    /// The outcome of the check, with a reason fit for tenants.
    package enum Decision: Sendable, Equatable {
        case permitted
        case forbidden(reason: String)
    }

    /// Finds the relevant RRset (RFC 8659 §3: the name itself, then each parent up to the TLD; the first
    /// non-empty set wins) and evaluates it.
    /// - Parameters:
    ///   - name: the name to be issued for, e.g. `mta-sts.example.com`.
    ///   - caIdentities: the issuer domain names of the configured CA (e.g. `letsencrypt.org`).
    ///   - lookup: CAA records of one name (the caller's DNS client); throws on resolver failure.
    package static func evaluate(
        name: String,
        caIdentities: [String],
        lookup: (String) throws(DNSError) -> [DNSCAARecord]
    ) throws(DNSError) -> (decision: Decision, relevantName: String?) {
        var labels = name.lowercased().split(separator: ".").map(String.init)
        while labels.count >= 1 {
            let candidate = labels.joined(separator: ".")
            let records = try lookup(candidate)
            if !records.isEmpty {
                return (evaluate(records: records, caIdentities: caIdentities, name: candidate), candidate)
            }
            labels.removeFirst()
            if labels.count < 2 { break }
        }
        return (.permitted, nil)
    }

    /// Evaluates one relevant RRset (RFC 8659 §4).
    package static func evaluate(records: [DNSCAARecord], caIdentities: [String], name: String) -> Decision {
        let known: Set<String> = [
            "issue", "issuewild", "iodef", "contactemail", "contactphone", "issuemail", "issuevmc",
        ]
        // §4.1: an unknown property with the critical flag forbids issuance.
        if let critical = records.first(where: { $0.isCritical && !known.contains($0.tag.lowercased()) }) {
            return .forbidden(reason: "CAA at \(name) has an unknown critical property \"\(critical.tag)\"")
        }
        let issue = records.filter { $0.tag.lowercased() == "issue" }
        guard !issue.isEmpty else { return .permitted }
        let identities = Set(caIdentities.map { $0.lowercased() })
        for record in issue {
            let issuer =
                record.valueText.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
                .first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if !issuer.isEmpty && identities.contains(issuer) { return .permitted }
        }
        let allowed = issue.map { "\"\($0.valueText)\"" }.joined(separator: ", ")
        let ours = caIdentities.isEmpty ? "(unknown)" : caIdentities.joined(separator: ", ")
        return .forbidden(reason: "CAA at \(name) allows only \(allowed); this platform's CA is \(ours)")
    }
}

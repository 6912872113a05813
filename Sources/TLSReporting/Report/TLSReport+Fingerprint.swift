import Crypto
import Foundation

extension TLSReport {
    /// What makes two deliveries the same report: the sender, its `report-id`, the policy domains and the date
    /// range (RFC 8460 §7 asks receivers to deduplicate; a sender retrying, or sending to both of a domain's
    /// addresses, delivers the same report twice). Hex SHA-256, 64 characters.
    package var fingerprint: String {
        var material = organizationName.lowercased() + "\u{0}" + reportID + "\u{0}"
        material += "\(Int64(start.timeIntervalSince1970.rounded(.down)))\u{0}"
        material += "\(Int64(end.timeIntervalSince1970.rounded(.down)))\u{0}"
        material += policyDomains.joined(separator: ",")
        return Hex.encode(Digest.sha256(material))
    }
}

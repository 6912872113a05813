/// Matches an MX host against a certificate's DNS-IDs the way RFC 8461 §4.1 tells an MTA-STS sender to.
///
/// Only subjectAltName dNSName entries count (RFC 6125 DNS-IDs; the subject CN is never used). Names compare
/// case-insensitively without a trailing dot. A wildcard is allowed only as the complete left-most label and
/// covers exactly one label: `*.example.com` matches `mail.example.com`, but neither `example.com` nor
/// `a.mail.example.com`; partial-label wildcards such as `m*.example.com` match nothing.
///
/// ```swift
/// MXCertificateNameMatcher.matchingName(for: "mx1.example.com", in: ["*.example.com"])   // "*.example.com"
/// MXCertificateNameMatcher.matchingName(for: "a.mx1.example.com", in: ["*.example.com"]) // nil
/// ```
package enum MXCertificateNameMatcher {
    /// The first DNS-ID of `dnsNames` that covers `host`, or `nil` when none does.
    package static func matchingName(for host: String, in dnsNames: [String]) -> String? {
        let candidate = normalized(host)
        guard !candidate.isEmpty, !candidate.contains("*") else { return nil }
        return dnsNames.first { matches(candidate, pattern: normalized($0)) }
    }

    /// Whether `pattern` (normalized) covers `host` (normalized).
    private static func matches(_ host: String, pattern: String) -> Bool {
        guard !pattern.isEmpty else { return false }
        guard pattern.hasPrefix("*.") else {
            return !pattern.contains("*") && pattern == host
        }
        let suffix = pattern.dropFirst(2)
        // At least two labels after the wildcard keeps `*.com` from covering every name under a TLD.
        guard !suffix.contains("*"), suffix.contains("."), let dot = host.firstIndex(of: ".") else { return false }
        return dot > host.startIndex && host[host.index(after: dot)...] == suffix
    }

    /// Lower-cased ASCII, one trailing dot removed.
    private static func normalized(_ name: String) -> String {
        var bytes = name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

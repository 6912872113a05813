/// A validated, normalised DNS name: lower-case A-labels, no trailing dot, at least two labels.
///
/// Input may use U-labels (`bücher.example`), which are converted with ``Punycode``; `name` is always the
/// A-label form (`xn--bcher-kva.example`) and `unicodeName` the form for display.
///
/// ```swift
/// let domain = try DomainName(parsing: "Bücher.Example.")
/// domain.name           // "xn--bcher-kva.example"
/// domain.policyHost     // "mta-sts.xn--bcher-kva.example"
/// ```
package struct DomainName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// What the name will be used for; it decides the length limit.
    package enum Role: Hashable, Sendable {
        /// A policy domain: leaves room for the `_smtp._tls.` prefix (11 octets) so every derived
        /// record name stays within 253 octets, so at most 242 octets.
        case policyDomain
        /// Any hostname, e.g. an MX target: at most 253 octets (RFC 1035 §2.3.4 without the root dot).
        case hostname

        /// The maximum length of `name` in octets.
        package var maximumLength: Int {
            switch self {
            case .policyDomain: 253 - "_smtp._tls.".utf8.count
            case .hostname: 253
            }
        }
    }

    /// The A-label form, lower case, without a trailing dot.
    package let name: String
    /// The A-labels of `name`, left to right.
    package let labels: [String]

    /// Parses and normalises a domain name.
    ///
    /// Only a single trailing dot is removed; no other trimming happens, so spaces are errors.
    /// - Parameters:
    ///   - input: The name as typed, with U-labels or A-labels, in any case.
    ///   - role: `.policyDomain` (default) or `.hostname`; see ``Role``.
    /// - Throws: `DomainNameError` describing the first problem found.
    package init(parsing input: String, role: Role = .policyDomain) throws(DomainNameError) {
        let labels = try DomainNameParser.labels(of: input, maximumLength: role.maximumLength)
        self.labels = labels
        self.name = labels.joined(separator: ".")
    }

    /// Parses a hostname such as an MX target: the same LDH rules, with the full 253-octet limit.
    /// - Parameter input: The hostname as typed or as found in DNS.
    /// - Returns: The normalised hostname.
    /// - Throws: `DomainNameError` describing the first problem found.
    package static func parseHostname(_ input: String) throws(DomainNameError) -> DomainName {
        try DomainName(parsing: input, role: .hostname)
    }

    /// `name` with `xn--` labels decoded to Unicode, for display only.
    package var unicodeName: String {
        labels.map { label in
            guard label.hasPrefix("xn--"), let decoded = try? Punycode.decode(String(label.dropFirst(4))) else {
                return label
            }
            return decoded
        }.joined(separator: ".")
    }

    /// The label that prefixes a Policy Host (RFC 8461 §3.2), with its dot.
    package static let policyHostPrefix = "mta-sts."

    /// The Policy Host serving the policy file (RFC 8461 §3.2): `mta-sts.<name>`.
    package var policyHost: String { Self.policyHostPrefix + name }

    /// The policy domain whose Policy Host is `host` (`mta-sts.example.com` → `example.com`), or nil when
    /// `host` is not a Policy Host. `host` must already be normalised (lower case, no trailing dot).
    package static func policyDomainName(ofPolicyHost host: String) -> String? {
        guard host.hasPrefix(policyHostPrefix), host.utf8.count > policyHostPrefix.utf8.count else { return nil }
        return String(host.dropFirst(policyHostPrefix.count))
    }

    /// The MTA-STS TXT record name (RFC 8461 §3.1): `_mta-sts.<name>`.
    package var stsRecordName: String { "_mta-sts." + name }

    /// The TLSRPT TXT record name (RFC 8460 §3): `_smtp._tls.<name>`.
    package var tlsrptRecordName: String { "_smtp._tls." + name }

    /// Whether `self` lies strictly below `other` (`a.example.com` is a subdomain of `example.com`;
    /// a name is not a subdomain of itself).
    package func isSubdomain(of other: DomainName) -> Bool {
        labels.count > other.labels.count && Array(labels.suffix(other.labels.count)) == other.labels
    }

    package var description: String { name }

    package static func < (lhs: DomainName, rhs: DomainName) -> Bool { lhs.name < rhs.name }
}

/// One `mx` entry of a policy: an exact MX host or `*.` plus a suffix (RFC 8461 §3.2, §4.1).
///
/// Stored normalised (lower-case A-labels, no trailing dot), so two spellings of the same pattern are equal.
///
/// ```swift
/// let pattern = try MXPattern(parsing: "*.Example.com")
/// pattern.matches("mail.example.com")   // true
/// pattern.matches("a.b.example.com")    // false: "*" covers exactly one label
/// ```
package struct MXPattern: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Whether the pattern starts with `*.`.
    package let isWildcard: Bool
    /// The exact host, or the suffix after `*.` for a wildcard pattern.
    package let domain: DomainName

    /// Parses an exact host or a `*.`-prefixed suffix; U-labels are converted to A-labels.
    ///
    /// The suffix of a wildcard must itself be a valid name of at least two labels, so `*.com` and `*` are rejected,
    /// as is a `*` anywhere but as the whole left-most label (RFC 8461 §3.2: `["*."] Domain`).
    /// - Throws: `PolicyError` with code `.invalidMXPattern`, field `"mx"` and the `DomainNameError` as `underlying`.
    package init(parsing input: String) throws(PolicyError) {
        let wildcard = input.hasPrefix("*.")
        let hostText = wildcard ? String(input.dropFirst(2)) : input
        do {
            self.domain = try DomainName.parseHostname(hostText)
        } catch {
            throw PolicyError(
                .invalidMXPattern,
                field: "mx",
                message: "The mx pattern \"\(input)\" is invalid: \(error.message)",
                underlying: error
            )
        }
        self.isWildcard = wildcard
    }

    /// Creates a pattern from an already validated host.
    package init(host: DomainName, wildcard: Bool = false) {
        self.domain = host
        self.isWildcard = wildcard
    }

    /// Whether an MX host name satisfies this pattern, exactly as RFC 8461 §4.1 and Appendix B describe.
    ///
    /// Comparison is case-insensitive and ignores one trailing dot; non-ASCII hosts are compared as A-labels.
    /// A wildcard matches when the host minus its left-most label equals the suffix, so `*` stands for exactly
    /// one whole label: never zero labels, never two. Hosts that are not valid hostnames never match.
    package func matches(_ host: String) -> Bool {
        guard let candidate = try? DomainName.parseHostname(host) else { return false }
        return matches(candidate)
    }

    /// Whether an already parsed MX host satisfies this pattern (see ``matches(_:)-(String)``).
    package func matches(_ host: DomainName) -> Bool {
        guard isWildcard else { return host == domain }
        return host.labels.count == domain.labels.count + 1 && Array(host.labels.dropFirst()) == domain.labels
    }

    /// The pattern as written in a policy file, e.g. `*.example.com`.
    package var description: String { isWildcard ? "*." + domain.name : domain.name }

    package static func < (lhs: MXPattern, rhs: MXPattern) -> Bool { lhs.description < rhs.description }
}

/// The `mode` field of a policy (RFC 8461 §5); raw values are the case-sensitive policy file spellings.
package enum PolicyMode: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Senders MUST NOT deliver to an MX that fails validation.
    case enforce
    /// Senders deliver anyway and report failures through TLSRPT.
    case testing
    /// The domain has no active policy (used to opt out, RFC 8461 §8.3).
    case none

    package var description: String { rawValue }
}

/// An MTA-STS policy (RFC 8461 §3.2): mode, MX patterns and max_age.
///
/// The initialiser enforces what the platform is willing to publish; ``text`` renders the canonical body.
///
/// ```swift
/// let policy = try Policy(mode: .enforce, mx: [MXPattern(parsing: "mx1.example.com")], maxAge: 604_800)
/// policy.text  // "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n"
/// ```
package struct Policy: Equatable, Hashable, Sendable {
    /// The largest allowed `max_age`: one year of 365.25 days (RFC 8461 §3.2).
    package static let maxAgeLimit = 31_557_600

    /// The policy mode.
    package let mode: PolicyMode
    /// The MX patterns, in publication order, without duplicates.
    package let mx: [MXPattern]
    /// How long senders may cache the policy, in seconds.
    package let maxAge: Int

    /// Creates a validated policy.
    /// - Parameters:
    ///   - mode: The policy mode.
    ///   - mx: The MX patterns; at least one unless `mode` is `.none`; no two equal after normalisation.
    ///   - maxAge: Seconds, `0...31_557_600`.
    /// - Throws: `PolicyError` with code `.maxAgeOutOfRange`, `.missingMX` or `.duplicateMXPattern`.
    package init(mode: PolicyMode, mx: [MXPattern], maxAge: Int) throws(PolicyError) {
        guard (0...Self.maxAgeLimit).contains(maxAge) else {
            throw PolicyError(
                .maxAgeOutOfRange,
                field: "max_age",
                message: "max_age \(maxAge) is outside 0...\(Self.maxAgeLimit) seconds."
            )
        }
        guard !mx.isEmpty || mode == .none else {
            throw PolicyError(
                .missingMX,
                field: "mx",
                message: "Mode \(mode) needs at least one mx pattern."
            )
        }
        var seen = Set<MXPattern>()
        for pattern in mx where !seen.insert(pattern).inserted {
            throw PolicyError(
                .duplicateMXPattern,
                field: "mx",
                message: "The mx pattern \(pattern) is listed more than once."
            )
        }
        self.mode = mode
        self.mx = mx
        self.maxAge = maxAge
    }

    /// The policy lines without terminators, in canonical order (`version`, `mode`, each `mx`, `max_age`).
    ///
    /// These are also the `policy-string` elements of a TLSRPT report (RFC 8460 §4.5).
    package var lines: [String] {
        ["version: STSv1", "mode: \(mode.rawValue)"] + mx.map { "mx: \($0)" } + ["max_age: \(maxAge)"]
    }

    /// The canonical policy file body: every line terminated by CRLF, nothing else (RFC 8461 §3.2).
    package var text: String {
        lines.map { $0 + "\r\n" }.joined()
    }
}

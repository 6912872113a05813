/// Why a string is not an acceptable domain name or hostname.
///
/// `reason` is the machine-readable code; `message` is a sentence naming the offending label, safe to show
/// to the tenant who typed it. Equality compares `reason` and `label` only.
package struct DomainNameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule that was broken.
    package enum Reason: Hashable, Sendable {
        /// Nothing (or only the root dot) was given.
        case empty
        /// The whole name exceeds the octet limit for its role.
        case tooLong
        /// One label exceeds 63 octets (as an A-label).
        case labelTooLong
        /// Two dots in a row, or a leading dot.
        case emptyLabel
        /// A character outside letters, digits and hyphen (or an unsuitable Unicode character).
        case invalidCharacter(Unicode.Scalar)
        /// A label starts with `-`.
        case leadingHyphen
        /// A label ends with `-`.
        case trailingHyphen
        /// A label has `--` in positions 3–4 without being a valid `xn--` A-label.
        case reservedHyphens
        /// An IPv4 or IPv6 literal was given instead of a name.
        case ipAddress
        /// A `*` appeared; wildcards are only allowed in MX patterns.
        case wildcard
        /// A `_` appeared; hostnames are LDH only.
        case underscore
        /// Only one label was given.
        case singleLabel
        /// The top-level label is all digits.
        case numericTopLevel
        /// An `xn--` label is not valid, canonical Punycode of a lower-case U-label.
        case invalidPunycode
    }

    /// The rule that was broken.
    package let reason: Reason
    /// The offending label, when a single label is at fault.
    package let label: String?
    /// A human sentence describing the problem.
    package let message: String

    /// Creates an error; `message` should name `label` when there is one.
    package init(_ reason: Reason, label: String? = nil, message: String) {
        self.reason = reason
        self.label = label
        self.message = message
    }

    package var description: String { message }

    package static func == (lhs: DomainNameError, rhs: DomainNameError) -> Bool {
        lhs.reason == rhs.reason && lhs.label == rhs.label
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(reason)
        hasher.combine(label)
    }
}

extension Unicode.Scalar {
    /// `U+0020`-style rendering for error messages.
    var codePointDescription: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

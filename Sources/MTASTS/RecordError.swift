/// Why an `_mta-sts` or `_smtp._tls` TXT record was rejected.
///
/// Equality compares `code` only.
package struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule that was broken.
    package enum Code: String, Hashable, Sendable {
        /// The record does not start with the version field.
        case missingVersion
        /// The version field is followed by something other than WSP or `;` (e.g. `v=STSv10`).
        case invalidVersion
        /// A non-ASCII or control character.
        case invalidCharacter
        /// Two delimiters with nothing between them.
        case emptyField
        /// A field without `=` or with an invalid name.
        case invalidField
        /// An extension value outside the allowed characters.
        case invalidExtension
        /// No `id` field.
        case missingID
        /// The first `id` is not 1–32 letters and digits.
        case invalidID
        /// No `rua` field.
        case missingRUA
        /// An invalid or empty reporting URI.
        case invalidRUA
    }

    /// The rule that was broken.
    package let code: Code
    /// The record field at fault (`"v"`, `"id"`, `"rua"` or an extension name), if any.
    package let field: String?
    /// A human sentence describing the problem.
    package let message: String

    /// Creates an error.
    package init(_ code: Code, field: String? = nil, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    package var description: String { message }

    package static func == (lhs: RecordError, rhs: RecordError) -> Bool { lhs.code == rhs.code }
}

/// Why a received message could not be parsed, or a body could not be decoded; thrown by ``MIMEParser`` and
/// ``MIMEEntity/decodedBody()``.
///
/// Equal on ``code`` only. ``message`` names the rule, the limit and byte counts, never bytes of the message, so
/// ``description`` is safe to log; ``debugDescription`` adds the source location.
///
/// ```swift
/// do {
///     let entity = try MIMEParser.parse(bytes, limits: .reports)
/// } catch {
///     logger.warning("report refused", metadata: ["error": "\(error)"])   // error.code == .tooManyParts, …
/// }
/// ```
package struct MIMEError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure; a closed set with one static member per rule.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case tooLarge, tooManyFields, tooDeep, tooManyParts, malformed, invalidEncoding, unsupportedEncoding
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The message, a header section or a decoded body exceeds its cap in ``MIMELimits``.
        package static let tooLarge = Code(.tooLarge)
        /// A header section has more fields than ``MIMELimits/headerFieldCount``.
        package static let tooManyFields = Code(.tooManyFields)
        /// Multiparts and encapsulated messages nest deeper than ``MIMELimits/nestingDepth``.
        package static let tooDeep = Code(.tooDeep)
        /// The message has more entities than ``MIMELimits/partCount``.
        package static let tooManyParts = Code(.tooManyParts)
        /// A multipart entity without a usable boundary or without any delimiter line (RFC 2046 §5.1.1).
        package static let malformed = Code(.malformed)
        /// A base64 body with a byte outside the alphabet or a dangling sextet (RFC 2045 §6.8).
        package static let invalidEncoding = Code(.invalidEncoding)
        /// A Content-Transfer-Encoding other than 7bit, 8bit, binary, base64 and quoted-printable (RFC 2045 §6.1).
        package static let unsupportedEncoding = Code(.unsupportedEncoding)

        /// The case name, e.g. `tooDeep`.
        package var description: String { base.rawValue }
    }

    /// The kind of failure.
    package let code: Code
    /// What went wrong, with limits and byte counts only; safe to log.
    package let message: String
    /// Where the error was raised (`#fileID`).
    package let file: String
    /// Where the error was raised (`#line`).
    package let line: Int

    /// Creates an error for `code`, recording the caller's location.
    package init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// Equal when the codes are equal.
    package static func == (lhs: MIMEError, rhs: MIMEError) -> Bool { lhs.code == rhs.code }

    /// `MIMEError.<code>: <message>`; safe to log.
    package var description: String { "MIMEError.\(code): \(message)" }

    /// The description plus the source location.
    package var debugDescription: String { "\(description) at \(file):\(line)" }
}

/// Why a policy, an MX pattern or a policy id was rejected.
///
/// `code` is the machine-readable reason, `field` the policy field at fault (`"mx"`, `"max_age"`, `"mode"`,
/// `"version"`, `"id"`), `line` the 1-based line of a parsed policy file. Equality compares `code` only.
package struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule that was broken.
    package enum Code: String, Hashable, Sendable {
        case emptyPolicy
        case missingVersion
        case invalidVersion
        case missingMode
        case invalidMode
        case missingMaxAge
        case invalidMaxAge
        case maxAgeOutOfRange
        case missingMX
        case invalidMXPattern
        case duplicateMXPattern
        case bareCarriageReturn
        case leadingWhitespace
        case blankLine
        case byteOrderMark
        case controlCharacter
        case missingColon
        case invalidFieldName
        case invalidPolicyID
    }

    /// The rule that was broken.
    package let code: Code
    /// The policy field at fault, if any.
    package let field: String?
    /// The 1-based line number in the parsed text, for parse errors.
    package let line: Int?
    /// A human sentence describing the problem.
    package let message: String
    /// The domain-name error behind an invalid MX pattern, if any.
    package let underlying: DomainNameError?

    /// Creates an error.
    package init(
        _ code: Code,
        field: String? = nil,
        line: Int? = nil,
        message: String,
        underlying: DomainNameError? = nil
    ) {
        self.code = code
        self.field = field
        self.line = line
        self.message = message
        self.underlying = underlying
    }

    /// The same error, attributed to a line of a policy file.
    func at(line: Int) -> PolicyError {
        PolicyError(code, field: field, line: line, message: message, underlying: underlying)
    }

    package var description: String {
        guard let line else { return message }
        return "line \(line): \(message)"
    }

    package static func == (lhs: PolicyError, rhs: PolicyError) -> Bool { lhs.code == rhs.code }
}

/// An enhanced mail system status code (RFC 3463), e.g. `5.1.1` for "bad destination mailbox address".
///
/// Servers that advertise ENHANCEDSTATUSCODES (RFC 2034) put one at the start of each reply line's text;
/// ``SMTPReply`` takes it from the first line.
///
/// ```swift
/// SMTPEnhancedStatusCode(parsing: "5.7.1")?.subject   // 7 (security or policy status)
/// ```
package struct SMTPEnhancedStatusCode: Sendable, Hashable, CustomStringConvertible {
    /// The class: 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    package let statusClass: Int
    /// The subject, 0...999 (e.g. 1 addressing, 7 security or policy).
    package let subject: Int
    /// The detail within the subject, 0...999.
    package let detail: Int

    /// Creates a code from its three parts.
    /// - Returns: `nil` unless `statusClass` is 2, 4 or 5 and `subject` and `detail` are in 0...999.
    package init?(statusClass: Int, subject: Int, detail: Int) {
        guard [2, 4, 5].contains(statusClass), (0...999).contains(subject), (0...999).contains(detail) else {
            return nil
        }
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Parses `class "." subject "." detail` exactly (RFC 3463 §2: one digit, then one to three digits twice).
    /// - Returns: `nil` for any other text.
    package init?(parsing text: some StringProtocol) {
        guard let (code, end) = Self.prefix(of: Array(text.utf8)[...]), end == text.utf8.count else { return nil }
        self = code
    }

    /// Parses a code at the start of `bytes`.
    /// - Returns: The code and the index after it, or `nil` when `bytes` does not start with one.
    static func prefix(of bytes: ArraySlice<UInt8>) -> (SMTPEnhancedStatusCode, Int)? {
        var index = bytes.startIndex
        func number(maximumDigits: Int) -> Int? {
            var value = 0
            var digits = 0
            while index < bytes.endIndex, digits < maximumDigits, SMTPSyntax.isDigit(bytes[index]) {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : value
        }
        func dot() -> Bool {
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") else { return false }
            index += 1
            return true
        }
        guard let statusClass = number(maximumDigits: 1), dot(), let subject = number(maximumDigits: 3), dot(),
            let detail = number(maximumDigits: 3),
            let code = SMTPEnhancedStatusCode(statusClass: statusClass, subject: subject, detail: detail)
        else { return nil }
        // A fourth digit would make it something else (e.g. "5.1.1234"): not a status code.
        if index < bytes.endIndex, SMTPSyntax.isDigit(bytes[index]) || bytes[index] == UInt8(ascii: ".") {
            return nil
        }
        return (code, index - bytes.startIndex)
    }

    /// `"5.1.1"`.
    package var description: String {
        "\(statusClass).\(subject).\(detail)"
    }
}

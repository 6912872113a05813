/// A mailbox as a header shows it (RFC 5322 §3.4 `name-addr`): an optional display name and an address.
///
/// ```swift
/// let from = SMTPMailbox(try SMTPAddress("alerts@mtasts.example"), displayName: "MTA-STS alerts")
/// from.headerValue   // "MTA-STS alerts <alerts@mtasts.example>"
/// ```
package struct SMTPMailbox: Sendable, Hashable, CustomStringConvertible {
    /// The address.
    package let address: SMTPAddress
    /// The display name, if any; never contains control characters.
    package let displayName: String?

    /// Creates a mailbox.
    /// - Throws: ``SMTPClientError/Code/invalidMessage`` when the display name has a control character (it
    ///   could start a new header line).
    package init(_ address: SMTPAddress, displayName: String? = nil) throws(SMTPClientError) {
        if let displayName, displayName.unicodeScalars.contains(where: SMTPMessage.isControl) {
            throw SMTPClientError(.invalidMessage, "display name contains a control character")
        }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Parses a setting such as `MTASTS_MAIL_FROM`: `alerts@example.net`, `<alerts@example.net>` or
    /// `MTA-STS alerts <alerts@example.net>` (the name may be in double quotes).
    /// - Throws: ``SMTPClientError/Code/invalidAddress`` or ``SMTPClientError/Code/invalidMessage``.
    package init(parsing text: String) throws(SMTPClientError) {
        let trimmed = Self.trimmingSpaces(text[...])
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            try self.init(try SMTPAddress(String(trimmed)))
            return
        }
        let address = try SMTPAddress(
            String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        )
        var name = Self.trimmingSpaces(trimmed[..<open])
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = name.dropFirst().dropLast()
        }
        try self.init(address, displayName: String(name))
    }

    /// The mailbox as it appears in From or To: `name <address>` or `<address>` without a name.
    ///
    /// A name of atoms and spaces is written as it is, other ASCII names as a quoted-string, and names with
    /// non-ASCII characters as RFC 2047 encoded-words (which a `phrase` may hold, §5).
    package var headerValue: String {
        guard let displayName else { return "<\(address)>" }
        return "\(Self.phrase(displayName)) <\(address)>"
    }

    /// `headerValue`.
    package var description: String {
        headerValue
    }

    private static func trimmingSpaces(_ text: Substring) -> Substring {
        guard let first = text.firstIndex(where: { $0 != " " }), let last = text.lastIndex(where: { $0 != " " }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }

    /// A display name as a `phrase` (RFC 5322 §3.2.5); words longer than a header line are encoded too, so
    /// that the field can be folded.
    private static func phrase(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let wordsFit = name.split(separator: " ").allSatisfy { $0.utf8.count <= MIMEEncodedWord.maximumLength }
        if wordsFit, bytes.allSatisfy({ $0 == UInt8(ascii: " ") || SMTPSyntax.isAtomText($0) }),
            bytes.first != UInt8(ascii: " "), bytes.last != UInt8(ascii: " ")
        {
            return name
        }
        if wordsFit, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            var quoted = "\""
            for character in name {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }
        return MIMEEncodedWord.encode(name).joined(separator: " ")
    }
}

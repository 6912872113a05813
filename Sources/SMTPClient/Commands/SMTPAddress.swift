/// A mailbox as the envelope carries it (RFC 5321 §4.1.2 `Mailbox`): `local-part@domain`.
///
/// Checked for what would break the command line or the envelope: one `@` before a non-empty domain, a local
/// part of at most 64 octets and a domain of at most 255 (§4.5.3.1), no SP, control bytes, `<` or `>`. The
/// domain is LDH labels or an address literal in brackets. Non-ASCII is allowed and makes
/// ``requiresSMTPUTF8`` true (RFC 6531); the server must then offer SMTPUTF8.
///
/// ```swift
/// let address = try SMTPAddress("alerts@mtasts.example")
/// address.domain   // "mtasts.example"
/// ```
package struct SMTPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The part before the last `@`, as given.
    package let localPart: String
    /// The part after the last `@`, as given.
    package let domain: String

    /// Parses `text`.
    /// - Throws: ``SMTPClientError/Code/invalidAddress``.
    package init(_ text: String) throws(SMTPClientError) {
        let bytes = Array(text.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else {
            throw SMTPClientError(.invalidAddress, "mail address has no @")
        }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard (1...64).contains(local.count), (1...255).contains(domain.count) else {
            throw SMTPClientError(.invalidAddress, "mail address local part or domain is empty or too long")
        }
        guard bytes.allSatisfy(Self.isAllowed) else {
            throw SMTPClientError(.invalidAddress, "mail address has a space, control character, < or >")
        }
        guard Self.isDomain(domain) else {
            throw SMTPClientError(.invalidAddress, "mail address domain is not a host name or address literal")
        }
        self.localPart = String(decoding: local, as: UTF8.self)
        self.domain = String(decoding: domain, as: UTF8.self)
    }

    /// Whether the address has non-ASCII characters, which only an SMTPUTF8 session may carry.
    package var requiresSMTPUTF8: Bool {
        !description.utf8.allSatisfy { $0 < 0x80 }
    }

    /// `local-part@domain`.
    package var description: String {
        "\(localPart)@\(domain)"
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte != 0x7F && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">")
    }

    /// `Domain` (dot-separated labels of letters, digits, hyphens, or UTF-8 for SMTPUTF8) or `address-literal`.
    private static func isDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.first == UInt8(ascii: "[") {
            return bytes.count > 2 && bytes.last == UInt8(ascii: "]")
                && bytes.dropFirst().dropLast().allSatisfy {
                    SMTPSyntax.isVisible($0) && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]")
                        && $0 != UInt8(ascii: "\\")
                }
        }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy {
                    SMTPSyntax.isAlpha($0) || SMTPSyntax.isDigit($0) || $0 == UInt8(ascii: "-") || $0 >= 0x80
                }
        }
    }
}

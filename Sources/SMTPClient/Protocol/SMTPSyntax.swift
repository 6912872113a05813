/// Byte classes of the SMTP grammar (RFC 5321 §4.1.2, RFC 5234 core rules).
enum SMTPSyntax {
    /// `DIGIT`.
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// `HEXDIG`, either case.
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
    }

    /// `ALPHA`.
    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// `textstring` bytes of a reply (RFC 5321 §4.2: HT and SP to `~`), plus UTF-8 bytes, which RFC 6531
    /// §3.7.4 lets an SMTPUTF8 server send.
    static func isReplyText(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    /// Printable US-ASCII without SP (`%d33-126`): an `ehlo-param` or `esmtp-value` byte.
    static func isVisible(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E
    }

    /// `atext` (RFC 5322 §3.2.3): the characters of an atom in a header.
    static func isAtomText(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || atomSpecials.contains(byte)
    }

    /// The punctuation `atext` allows.
    private static let atomSpecials = Array("!#$%&'*+-/=?^_`{|}~".utf8)

    /// Upper-cases ASCII letters (keywords compare case-insensitively).
    static func uppercased(_ text: some StringProtocol) -> String {
        String(decoding: text.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}

/// Byte classes and the lenient text decoding shared by the header, parameter and body readers.
enum MIMEText {
    /// LF.
    static let lineFeed: UInt8 = 0x0A
    /// CR.
    static let carriageReturn: UInt8 = 0x0D
    /// SP.
    static let space: UInt8 = 0x20
    /// HTAB.
    static let tab: UInt8 = 0x09

    /// SP or HTAB (RFC 5322 `WSP`).
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// A printable US-ASCII byte other than the colon (RFC 5322 §3.6.8 `ftext`).
    static func isFieldNameByte(_ byte: UInt8) -> Bool { byte >= 33 && byte <= 126 && byte != 0x3A }

    /// The value of a hexadecimal digit of either case.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Whether two strings are equal ignoring the case of ASCII letters.
    static func equalIgnoringASCIICase(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8) { lowercased($0) == lowercased($1) }
    }

    /// `string` with ASCII letters lower-cased and everything else unchanged.
    static func lowercasedASCII(_ string: String) -> String {
        String(decoding: string.utf8.map(lowercased), as: UTF8.self)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
    }

    /// Text from untrusted header bytes; never fails.
    ///
    /// The bytes are read as UTF-8 when they are valid UTF-8 (RFC 6532), otherwise as ISO-8859-1, the most common
    /// 8-bit header charset, which maps every byte to a character. Control characters other than HTAB (C0, DEL and
    /// C1) become U+FFFD, so a value never carries a line break or an escape sequence into a log.
    static func lenientString(_ bytes: some Collection<UInt8>, latin1: Bool = false) -> String {
        if bytes.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == tab }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        if !latin1, let text = String(validating: bytes, as: UTF8.self) {
            for scalar in text.unicodeScalars { scalars.append(safe(scalar)) }
        } else {
            for byte in bytes { scalars.append(safe(Unicode.Scalar(byte))) }
        }
        return String(scalars)
    }

    private static func safe(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        let isControl = (value < 0x20 && value != 0x09) || (value >= 0x7F && value < 0xA0)
        return isControl ? "\u{FFFD}" : scalar
    }
}

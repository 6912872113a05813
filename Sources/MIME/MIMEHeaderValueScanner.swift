/// Reads the structured values of Content-Type, Content-Disposition and Content-Transfer-Encoding: tokens,
/// quoted strings and RFC 822 comments (RFC 2045 §5.1, RFC 5322 §3.2).
///
/// Every method makes progress or reports that it could not, so callers' loops end; nothing here throws, since a
/// value that does not parse falls back to a default.
struct MIMEHeaderValueScanner {
    private let bytes: [UInt8]
    private var index = 0

    /// Creates a scanner at the start of a field value.
    init(_ value: String) {
        bytes = Array(value.utf8)
    }

    /// Whether the whole value has been read.
    var isAtEnd: Bool { index >= bytes.count }

    /// Skips whitespace and comments; a comment may nest and contain quoted pairs, and one left open runs to the end.
    mutating func skipWhitespaceAndComments() {
        while index < bytes.count {
            let byte = bytes[index]
            if MIMEText.isWhitespace(byte) || byte == MIMEText.carriageReturn || byte == MIMEText.lineFeed {
                index += 1
            } else if byte == UInt8(ascii: "(") {
                skipComment()
            } else {
                return
            }
        }
    }

    private mutating func skipComment() {
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: "\\"): index += 1
            default: break
            }
            index += 1
            if depth == 0 { return }
        }
    }

    /// Consumes `byte` after optional whitespace and comments; `false` (consuming only the whitespace) when the next
    /// byte is another.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespaceAndComments()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// An RFC 2045 token after optional whitespace and comments, or `nil` when none starts here.
    mutating func token() -> String? {
        skipWhitespaceAndComments()
        let start = index
        while index < bytes.count, Self.isTokenByte(bytes[index]) { index += 1 }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    /// A parameter value after optional whitespace and comments: a quoted string (backslash escapes undone, an
    /// unterminated one running to the end) or, leniently, a run of bytes up to `;`, whitespace, `"` or `(`, so that
    /// unquoted values with tspecials (`boundary=----=_Part_1`) are kept. `nil` when neither starts here.
    mutating func parameterValue() -> [UInt8]? {
        skipWhitespaceAndComments()
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            var value: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { return value }
                if byte == UInt8(ascii: "\\"), index < bytes.count {
                    value.append(bytes[index])
                    index += 1
                } else {
                    value.append(byte)
                }
            }
            return value
        }
        let start = index
        while index < bytes.count, Self.isLenientValueByte(bytes[index]) { index += 1 }
        return index > start ? Array(bytes[start..<index]) : nil
    }

    /// Moves to the next `;` outside a quoted string (or the end), to resume after a parameter that does not parse.
    mutating func skipToSemicolon() {
        var quoted = false
        while index < bytes.count {
            let byte = bytes[index]
            if quoted, byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == UInt8(ascii: ";"), !quoted {
                return
            }
            index += 1
        }
        index = bytes.count
    }

    /// US-ASCII other than SP, CTLs and tspecials (RFC 2045 §5.1).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "@"),
            UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"), UInt8(ascii: "\""),
            UInt8(ascii: "/"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "?"), UInt8(ascii: "="):
            return false
        default:
            return true
        }
    }

    private static func isLenientValueByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte != 0x7F else { return false }
        return byte != UInt8(ascii: ";") && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "(")
    }
}

import CivilTime

/// A Content-Transfer-Encoding of the body (RFC 2045 §6.1).
package enum SMTPTransferEncoding: String, Sendable, Hashable {
    /// ASCII lines of at most 998 octets: sent as they are.
    case sevenBit = "7bit"
    /// UTF-8 lines of at most 998 octets, to a server that offers 8BITMIME (RFC 6152).
    case eightBit = "8bit"
    /// Anything else (non-ASCII without 8BITMIME, longer lines, NUL): RFC 2045 §6.7.
    case quotedPrintable = "quoted-printable"
}

/// A message as the bytes of its header section and body, CRLF line ends, before dot-stuffing.
package struct SMTPRenderedMessage: Sendable, Hashable {
    /// The header section, an empty line and the body.
    package let bytes: [UInt8]
    /// The encoding chosen for the body.
    package let transferEncoding: SMTPTransferEncoding
}

// MARK: - Rendering (RFC 5322, RFC 2045, RFC 2047)

extension SMTPMessage {
    /// The longest line RFC 5322 §2.1.1 allows, CRLF excluded.
    package static let maximumLineLength = 998
    /// The line length §2.1.1 recommends; header fields are folded to stay within it where they can.
    private static let preferredLineLength = 78

    /// Renders the header section and body.
    ///
    /// The body goes as `7bit` when it is ASCII, as `8bit` when it is not and `allowing8Bit` (the server
    /// offers 8BITMIME), and quoted-printable otherwise or when a line is longer than 998 octets or has NUL,
    /// so no line of the result exceeds 998 octets. Header fields are folded at spaces to about 78 columns;
    /// non-ASCII text and words longer than a line become RFC 2047 encoded-words.
    /// - Parameter allowing8Bit: Whether the server advertised 8BITMIME.
    package func rendered(allowing8Bit: Bool) -> SMTPRenderedMessage {
        let bodyBytes = Array(body.utf8)
        let lines = bodyBytes.split(omittingEmptySubsequences: false) { $0 == 0x0A || $0 == 0x0D }
        let fitsLines = lines.allSatisfy { $0.count <= Self.maximumLineLength } && !bodyBytes.contains(0)
        let isASCII = bodyBytes.allSatisfy { $0 < 0x80 }
        let encoding: SMTPTransferEncoding =
            fitsLines && isASCII ? .sevenBit : fitsLines && allowing8Bit ? .eightBit : .quotedPrintable

        var header = ""
        header += "Date: \(Self.dateHeaderValue(date))\r\n"
        header += Self.field("From", from.headerValue)
        header += Self.field("To", to.map(\.headerValue).joined(separator: ", "))
        header += Self.field("Subject", Self.unstructured(subject))
        header += "Message-ID: <\(messageID)>\r\n"
        header += "MIME-Version: 1.0\r\n"
        header += "Content-Type: text/plain; charset=utf-8\r\n"
        header += "Content-Transfer-Encoding: \(encoding.rawValue)\r\n"
        header += "\r\n"

        var bytes = Array(header.utf8)
        switch encoding {
        case .sevenBit, .eightBit:
            bytes += Self.withCRLF(bodyBytes)
        case .quotedPrintable:
            bytes += QuotedPrintable.encode(bodyBytes)
        }
        return SMTPRenderedMessage(bytes: bytes, transferEncoding: encoding)
    }

    /// An RFC 5322 §3.3 date-time in UTC: `Tue, 01 Jul 2025 09:30:00 +0000` (numeric zone; `GMT` is obsolete).
    package static func dateHeaderValue(_ unixSeconds: Int64) -> String {
        let (day, second) = CivilDate.split(epochSeconds: unixSeconds)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(twoDigits(second / 3600)):\(twoDigits(second / 60 % 60)):\(twoDigits(second % 60))"
        return "\(weekdays[day.weekday]), \(twoDigits(day.day)) \(months[day.month - 1]) \(day.year) \(time) +0000"
    }

    /// Header text (RFC 5322 §3.2.5 `unstructured`): as it is when ASCII with words that fit on a line,
    /// else encoded-words.
    private static func unstructured(_ text: String) -> String {
        let isPlain =
            text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            && text.split(separator: " ").allSatisfy { $0.utf8.count <= MIMEEncodedWord.maximumLength }
        return isPlain ? text : MIMEEncodedWord.encode(text).joined(separator: " ")
    }

    /// `Name: value` CRLF, folded (§2.2.3: CRLF before a space) where a line would pass 78 columns.
    private static func field(_ name: String, _ value: String) -> String {
        var text = name + ":"
        var column = text.utf8.count
        for (index, word) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index > 0, column + 1 + word.utf8.count > preferredLineLength {
                text += "\r\n"
                column = 0
            }
            text += " " + word
            column += 1 + word.utf8.count
        }
        return text + "\r\n"
    }

    /// `bytes` with every line end (CRLF, LF, CR) as CRLF and a CRLF after the last line.
    private static func withCRLF(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 32 + 2)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            if byte == 0x0D || byte == 0x0A {
                if byte == 0x0D, index < bytes.endIndex, bytes[index] == 0x0A { index += 1 }
                output += [0x0D, 0x0A]
            } else {
                output.append(byte)
            }
        }
        // Every LF in `output` is the end of a CRLF written above.
        if output.last != 0x0A { output += [0x0D, 0x0A] }
        return output
    }
}

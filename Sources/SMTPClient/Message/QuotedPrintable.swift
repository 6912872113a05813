/// The quoted-printable content transfer encoding (RFC 2045 §6.7), for bodies that cannot go as they are.
///
/// Octets other than printable ASCII are written `=XX`, as is `=` itself; SP and HT are encoded at the end of a
/// line (rule 3), where transports may strip them; lines are broken with soft line breaks (`=` CRLF) so that
/// no encoded line is longer than 76 characters (rule 5). Line breaks of the text (CRLF, LF or CR) become CRLF.
///
/// ```swift
/// QuotedPrintable.encode(Array("Grüße =)\n".utf8))   // "Gr=C3=BC=C3=9Fe =3D)\r\n"
/// ```
package enum QuotedPrintable {
    /// The longest encoded line, without its CRLF (RFC 2045 §6.7 rule 5).
    package static let maximumLineLength = 76

    /// Encodes `bytes`; the result is ASCII with CRLF line ends.
    package static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 4)
        for line in lines(of: bytes) {
            encode(line: line, into: &output)
            output += [0x0D, 0x0A]
        }
        return output
    }

    /// Splits text at CRLF, LF or CR; a final line without a break is kept, a final break adds no empty line.
    private static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == 0x0D || byte == 0x0A else {
                index += 1
                continue
            }
            lines.append(bytes[start..<index])
            index += byte == 0x0D && index + 1 < bytes.endIndex && bytes[index + 1] == 0x0A ? 2 : 1
            start = index
        }
        if start < bytes.endIndex { lines.append(bytes[start...]) }
        return lines
    }

    private static func encode(line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var column = 0
        for index in line.indices {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            let isLiteral =
                (byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "="))
                || ((byte == 0x20 || byte == 0x09) && !isLast)
            let token: [UInt8] = isLiteral ? [byte] : escape(byte)
            // Keep room for the `=` of a soft line break, unless this token ends the line.
            let room = isLast ? maximumLineLength : maximumLineLength - 1
            if column + token.count > room {
                output += [UInt8(ascii: "="), 0x0D, 0x0A]
                column = 0
            }
            output += token
            column += token.count
        }
    }

    private static func escape(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "="), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }
}

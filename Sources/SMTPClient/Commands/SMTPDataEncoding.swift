/// The DATA section encoding of RFC 5321 §4.5.2 and §2.3.8: CRLF line ends, dot-stuffing, and the final
/// `CRLF . CRLF`.
///
/// ```swift
/// SMTPDataEncoding.encode(Array("Hi\n.\nBye".utf8))   // "Hi\r\n..\r\nBye\r\n.\r\n"
/// ```
package enum SMTPDataEncoding {
    /// Encodes a message for sending after a 354 reply.
    ///
    /// A bare LF, a bare CR and CRLF all become CRLF (RFC 5321 §2.3.8: no bare CR or LF in the data); a line
    /// starting with `.` gets one more `.` (§4.5.2); the last line is terminated if it is not, and `.` CRLF
    /// ends the data.
    /// - Parameter message: The header section and body, in any line-end convention.
    /// - Returns: The bytes to send.
    package static func encode(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 32 + 5)
        var isLineStart = true
        var index = message.startIndex
        while index < message.endIndex {
            let byte = message[index]
            index += 1
            switch byte {
            case 0x0D:
                // CR LF, or a bare CR: either way one line end.
                if index < message.endIndex, message[index] == 0x0A { index += 1 }
                output += [0x0D, 0x0A]
                isLineStart = true
            case 0x0A:
                output += [0x0D, 0x0A]
                isLineStart = true
            default:
                if isLineStart, byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
                output.append(byte)
                isLineStart = false
            }
        }
        if !isLineStart { output += [0x0D, 0x0A] }
        output += [UInt8(ascii: "."), 0x0D, 0x0A]
        return output
    }
}

/// One SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text.
///
/// The enhanced status code (RFC 3463, RFC 2034 §4) is taken from the start of the first line when it is there
/// and its class matches the reply's first digit; ``text`` leaves it out of every line that starts with it.
///
/// ```swift
/// let reply = SMTPReply(code: 550, lines: ["5.1.1 <x@example.net>: Recipient address rejected"])
/// reply.enhancedStatusCode   // 5.1.1
/// reply.text                 // "<x@example.net>: Recipient address rejected"
/// reply.description          // "550 5.1.1 <x@example.net>: Recipient address rejected"
/// ```
package struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// The reply code, 200...559 (RFC 5321 §4.2: first digit 2-5, second 0-5).
    package let code: Int
    /// The text of each line after the code and its separator, in order; a line without text is empty.
    package let lines: [String]
    /// The enhanced status code at the start of the first line, if any.
    package let enhancedStatusCode: SMTPEnhancedStatusCode?

    /// Creates a reply; the enhanced status code is found in `lines`.
    /// - Parameters:
    ///   - code: The reply code.
    ///   - lines: At least one line of text (an empty array is treated as one empty line).
    package init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines.isEmpty ? [""] : lines
        self.enhancedStatusCode = Self.enhancedStatusCode(in: self.lines[0], code: code)
    }

    /// 2yz: the command succeeded.
    package var isPositiveCompletion: Bool { code / 100 == 2 }
    /// 3yz: the command was accepted and more is expected (DATA's 354, AUTH's 334).
    package var isPositiveIntermediate: Bool { code / 100 == 3 }
    /// 4yz: a temporary failure; the same command may succeed later.
    package var isTransientFailure: Bool { code / 100 == 4 }
    /// 5yz: a permanent failure.
    package var isPermanentFailure: Bool { code / 100 == 5 }

    /// The lines joined with LF, each without a leading enhanced status code equal to ``enhancedStatusCode``.
    package var text: String {
        guard let enhanced = enhancedStatusCode?.description else { return lines.joined(separator: "\n") }
        return lines.map { line in
            guard line.hasPrefix(enhanced) else { return line }
            let rest = line.dropFirst(enhanced.count)
            if rest.isEmpty { return "" }
            return rest.first == " " ? String(rest.dropFirst()) : line
        }.joined(separator: "\n")
    }

    /// `"550 5.1.1 text"`, lines joined with `" / "`; server text only, never what the client sent.
    package var description: String {
        let prefix = enhancedStatusCode.map { "\(code) \($0)" } ?? "\(code)"
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " / ")
        return body.isEmpty ? prefix : "\(prefix) \(body)"
    }

    /// RFC 2034 §4: the status code opens the text and its class is the reply code's first digit.
    private static func enhancedStatusCode(in line: String, code: Int) -> SMTPEnhancedStatusCode? {
        let bytes = Array(line.utf8)[...]
        guard let (status, end) = SMTPEnhancedStatusCode.prefix(of: bytes), status.statusClass == code / 100,
            end == bytes.count || bytes[end] == UInt8(ascii: " ")
        else { return nil }
        return status
    }
}

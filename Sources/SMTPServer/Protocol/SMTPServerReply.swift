/// One reply the server sends (RFC 5321 §4.2): a three-digit code, an optional enhanced status code (RFC 3463,
/// advertised with ENHANCEDSTATUSCODES, RFC 2034) and one or more lines of text.
///
/// The text is made safe to send: control characters (a CR or LF above all, which would end the reply early and
/// let the rest pass for another reply) become spaces, bytes outside printable US-ASCII become `?`, and each line
/// is cut so that it fits the 512 octets RFC 5321 §4.5.3.1.5 allows a reply line. A receiver may therefore put text
/// it does not control (an address) in a refusal.
///
/// ```swift
/// let refusal = SMTPServerReply(code: 550, enhancedCode: "5.1.1", text: "No such recipient")
/// refusal.encoded()   // "550 5.1.1 No such recipient\r\n"
/// ```
package struct SMTPServerReply: Sendable, Hashable, CustomStringConvertible {
    /// The reply code, 200…599.
    package let code: Int
    /// The enhanced status code, e.g. `5.1.1`; nil for replies without one (the greeting, EHLO, HELO).
    package let enhancedCode: String?
    /// The text lines, at least one (possibly empty).
    package let lines: [String]

    /// Creates a reply; the text is sanitised as described above.
    ///
    /// - Parameters:
    ///   - code: The reply code; values outside 200…599 become 451 (a local error), so a mistaken verdict cannot
    ///     emit something a client would misread.
    ///   - enhancedCode: `class.subject.detail`; dropped unless it is well-formed and its class is the code's
    ///     first digit (RFC 3463 §2, RFC 2034 §4).
    ///   - lines: The text, one element per line; an empty array sends one empty line.
    package init(code: Int, enhancedCode: String? = nil, lines: [String]) {
        let code = (200...599).contains(code) ? code : 451
        self.code = code
        self.enhancedCode = enhancedCode.flatMap { Self.isEnhancedCode($0, matching: code) ? $0 : nil }
        let prefixLength = 4 + (self.enhancedCode.map { $0.utf8.count + 1 } ?? 0)
        let room = Self.maximumLineBytes - prefixLength - 2
        self.lines = (lines.isEmpty ? [""] : lines).map { Self.sanitized($0, maximumBytes: room) }
    }

    /// Creates a one-line reply.
    package init(code: Int, enhancedCode: String? = nil, text: String) {
        self.init(code: code, enhancedCode: enhancedCode, lines: [text])
    }

    /// Whether the code is 4xx or 5xx.
    package var isFailure: Bool { code >= 400 }

    /// Whether the code is 4xx: the client should try again later.
    package var isTransient: Bool { (400...499).contains(code) }

    /// The reply as sent, CRLF after each line; continuation lines carry `-` after the code (RFC 5321 §4.2.1).
    package func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return bytes
    }

    /// Appends the reply as sent to `bytes`.
    package func write(into bytes: inout [UInt8]) {
        let codeText = String(code).utf8
        for (index, line) in lines.enumerated() {
            bytes.append(contentsOf: codeText)
            bytes.append(index == lines.count - 1 ? UInt8(ascii: " ") : UInt8(ascii: "-"))
            if let enhancedCode {
                bytes.append(contentsOf: enhancedCode.utf8)
                bytes.append(UInt8(ascii: " "))
            }
            bytes.append(contentsOf: line.utf8)
            bytes.append(contentsOf: [0x0D, 0x0A])
        }
    }

    /// The first line as sent, without CRLF: `550 5.1.1 No such recipient`.
    package var description: String {
        "\(code) " + (enhancedCode.map { "\($0) " } ?? "") + lines[0]
    }

    // MARK: - Sanitising

    /// A reply line's limit, CRLF included (RFC 5321 §4.5.3.1.5).
    static let maximumLineBytes = 512

    /// Printable US-ASCII (and HT → SP) only, at most `maximumBytes`.
    private static func sanitized(_ text: String, maximumBytes: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(text.utf8.count, maximumBytes))
        for byte in text.utf8 {
            guard bytes.count < maximumBytes else { break }
            switch byte {
            case 0x20...0x7E: bytes.append(byte)
            case 0x00..<0x20, 0x7F: bytes.append(UInt8(ascii: " "))
            default: bytes.append(UInt8(ascii: "?"))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `class "." subject "." detail`: one digit (2, 4 or 5, the code's first), then one to three digits twice.
    private static func isEnhancedCode(_ text: String, matching code: Int) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 1, parts[0].first == UInt8(ascii: "0") + UInt8(code / 100) else {
            return false
        }
        return parts.allSatisfy { part in
            (1...3).contains(part.count) && part.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
    }
}

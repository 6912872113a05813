/// Caps on one reply that bound the memory and work a server can make the client spend; part of the parser's API.
///
/// RFC 5321 §4.5.3.1.5 makes 512 octets (CRLF included) the longest reply line a client must accept; the default
/// allows four times that, because §4.5.3.1 asks implementations not to impose limits where they can avoid it
/// and some servers send long EHLO or rejection texts.
///
/// ```swift
/// var parser = SMTPReplyParser(limits: SMTPReplyLimits(lineBytes: 512, lineCount: 32))
/// ```
package struct SMTPReplyLimits: Sendable, Hashable {
    /// Longest reply line, CRLF excluded.
    package var lineBytes: Int
    /// Most lines in one (multi-line) reply.
    package var lineCount: Int

    /// Creates limits; the defaults are 2048 bytes per line and 128 lines per reply.
    package init(lineBytes: Int = 2048, lineCount: Int = 128) {
        self.lineBytes = lineBytes
        self.lineCount = lineCount
    }

    /// The default limits.
    package static let `default` = SMTPReplyLimits()
}

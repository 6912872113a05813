/// Caps that bound the memory and work one request can cost the server; part of the parser's API.
///
/// Exceeding a cap fails the request with the status from RFC 9110/6585: 414 for the request line,
/// 431 for the header section (bytes or field count, also applied to chunked trailers), 413 for the body.
///
/// ```swift
/// var parser = HTTPRequestParser(limits: HTTPParserLimits(bodyBytes: 64 * 1024))
/// ```
package struct HTTPParserLimits: Sendable, Hashable {
    /// Maximum length of the request line, excluding its CRLF.
    package var requestLineBytes: Int
    /// Maximum size of the header section after the request line: every field line with its CRLF plus the
    /// empty line that ends the section.
    package var headerBytes: Int
    /// Maximum number of field lines in the header section (and, separately, in a chunked trailer section).
    package var headerCount: Int
    /// Maximum body size: the Content-Length value, or the sum of all chunk sizes.
    package var bodyBytes: Int

    /// Creates limits; the defaults suit an API or policy server.
    package init(
        requestLineBytes: Int = 8192,
        headerBytes: Int = 16384,
        headerCount: Int = 100,
        bodyBytes: Int = 1 << 20
    ) {
        self.requestLineBytes = requestLineBytes
        self.headerBytes = headerBytes
        self.headerCount = headerCount
        self.bodyBytes = bodyBytes
    }

    /// The default limits.
    package static let `default` = HTTPParserLimits()

    /// Longest chunk-size line (size, extensions) accepted; extensions are ignored, so this only bounds waste.
    static let chunkLineBytes = 4096
    /// How many empty lines before a request line are skipped (RFC 9112 §2.2 asks for at least one).
    static let leadingEmptyLines = 4
}

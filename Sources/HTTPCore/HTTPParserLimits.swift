/// Caps that bound the memory and work one message can cost; part of the parser's API, shared by
/// ``HTTPRequestParser`` (the server side) and ``HTTPResponseParser`` (the client side).
///
/// Exceeding a cap fails the message. For a request the error's status is the one RFC 9110/6585 names: 414
/// for the request line, 431 for the header section (bytes or field count, also applied to chunked trailers),
/// 413 for the body. For a response the same caps apply, with ``statusLineBytes`` in place of
/// ``requestLineBytes``.
///
/// ```swift
/// var parser = HTTPRequestParser(limits: HTTPParserLimits(bodyBytes: 64 * 1024))
/// var client = HTTPResponseParser(limits: HTTPParserLimits(bodyBytes: 1 << 20), requestMethod: .get)
/// ```
package struct HTTPParserLimits: Sendable, Hashable {
    /// Maximum length of the request line, excluding its CRLF.
    package var requestLineBytes: Int
    /// Maximum length of the status line of a response, excluding its CRLF.
    package var statusLineBytes: Int
    /// Maximum size of the header section after the start line: every field line with its CRLF plus the
    /// empty line that ends the section.
    package var headerBytes: Int
    /// Maximum number of field lines in the header section (and, separately, in a chunked trailer section).
    package var headerCount: Int
    /// Maximum body size: the Content-Length value, the sum of all chunk sizes, or the bytes of a response
    /// read until the connection closes.
    package var bodyBytes: Int

    /// Creates limits; the defaults suit an API or policy server, and the client's ACME and policy fetches.
    package init(
        requestLineBytes: Int = 8192,
        statusLineBytes: Int = 8192,
        headerBytes: Int = 16384,
        headerCount: Int = 100,
        bodyBytes: Int = 1 << 20
    ) {
        self.requestLineBytes = requestLineBytes
        self.statusLineBytes = statusLineBytes
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
    /// How many interim (1xx) responses may precede the final one (RFC 9110 §15.2).
    static let interimResponses = 8
}

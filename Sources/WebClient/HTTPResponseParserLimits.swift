/// Caps that bound the memory one response can cost the client; part of the parser's API.
///
/// Exceeding ``bodyBytes`` fails with ``HTTPClientError/Code/bodyTooLarge``; every other cap with
/// ``HTTPClientError/Code/malformedResponse``.
///
/// ```swift
/// var parser = HTTPResponseParser(limits: HTTPResponseParserLimits(bodyBytes: 64 * 1024), requestMethod: .get)
/// ```
package struct HTTPResponseParserLimits: Sendable, Hashable {
    /// Maximum length of the status line, excluding its CRLF.
    package var statusLineBytes: Int
    /// Maximum size of the header section (and, separately, of a chunked trailer section), CRLFs included.
    package var headerBytes: Int
    /// Maximum number of field lines in the header section (and in a trailer section).
    package var headerCount: Int
    /// Maximum body size after removing the chunked coding.
    package var bodyBytes: Int

    /// Creates limits; the defaults suit ACME and policy fetches (1 MiB body).
    package init(
        statusLineBytes: Int = 8192,
        headerBytes: Int = 65536,
        headerCount: Int = 100,
        bodyBytes: Int = 1 << 20
    ) {
        self.statusLineBytes = statusLineBytes
        self.headerBytes = headerBytes
        self.headerCount = headerCount
        self.bodyBytes = bodyBytes
    }

    /// Longest chunk-size line accepted (size plus ignored extensions).
    static let chunkLineBytes = 4096
    /// How many interim (1xx) responses may precede the final one.
    static let interimResponses = 8
}

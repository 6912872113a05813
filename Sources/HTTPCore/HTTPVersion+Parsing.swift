// MARK: - Parsing (RFC 9112 §2.3)

extension HTTPVersion {
    /// Parses `HTTP-version = "HTTP" "/" DIGIT "." DIGIT` (RFC 9112 §2.3; case-sensitive), as it appears on a
    /// request line or a status line.
    ///
    /// - Parameter bytes: Exactly the eight version bytes.
    /// - Throws: ``HTTPParseError/Code/invalidVersion`` when malformed;
    ///   ``HTTPParseError/Code/unsupportedVersion`` for a well-formed version other than HTTP/1.0 and HTTP/1.1.
    init(parsing bytes: ArraySlice<UInt8>) throws(HTTPParseError) {
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8) else { throw HTTPParseError(.invalidVersion) }
        let base = bytes.startIndex
        let major = bytes[base + 5]
        let minor = bytes[base + 7]
        guard HTTPSyntax.isDigit(major), bytes[base + 6] == .period, HTTPSyntax.isDigit(minor) else {
            throw HTTPParseError(.invalidVersion)
        }
        self.init(major: Int(major - UInt8(ascii: "0")), minor: Int(minor - UInt8(ascii: "0")))
        // Well-formed but not HTTP/1.0 or HTTP/1.1: RFC 9110 §15.6.6, 505.
        guard self == .http1_0 || self == .http1_1 else { throw HTTPParseError(.unsupportedVersion) }
    }
}

// MARK: - Framing fields: Content-Length and Transfer-Encoding (RFC 9112 §6)

extension HTTPHeaderSection {
    /// What the framing fields of a section ask for; the parsers add the rules of their direction.
    enum BodyFraming: Sendable, Hashable {
        /// Neither Content-Length nor Transfer-Encoding: no body for a request, read until close for a response.
        case unspecified
        /// Exactly this many bytes follow the head (within ``HTTPParserLimits/bodyBytes``).
        case contentLength(Int)
        /// A chunked body follows.
        case chunked
    }

    /// Records a Content-Length or Transfer-Encoding line; other fields are left alone.
    ///
    /// Framing fields are interpreted on the bytes, before any String exists.
    /// - Throws: ``HTTPParseError`` for an invalid or conflicting Content-Length.
    mutating func recordFramingField(
        name: ArraySlice<UInt8>,
        value: ArraySlice<UInt8>
    ) throws(HTTPParseError) {
        switch name.count {
        case 14 where HTTPSyntax.equalsCaseInsensitive(name, lowercase: "content-length"):
            let length = try Self.parseContentLength(value)
            // RFC 9112 §6.3 (item 5): differing Content-Length values make the framing unrecoverable.
            if let existing = contentLength, existing != length {
                throw HTTPParseError(.conflictingContentLength)
            }
            contentLength = length
        case 17 where HTTPSyntax.equalsCaseInsensitive(name, lowercase: "transfer-encoding"):
            recordTransferCodings(value)
        default:
            break
        }
    }

    /// Parses `Content-Length = 1*DIGIT` (RFC 9110 §8.6), accepting a list of identical values as
    /// RFC 9112 §6.3 (item 5) allows.
    ///
    /// - Throws: ``HTTPParseError/Code/invalidContentLength`` for anything but digits or a value that does not
    ///   fit in an `Int`; ``HTTPParseError/Code/conflictingContentLength`` for a list of differing values.
    static func parseContentLength(_ value: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var result: Int?
        for element in value.split(separator: .comma, omittingEmptySubsequences: false) {
            let digits = HTTPSyntax.trimmingWhitespace(element)
            guard !digits.isEmpty else { throw HTTPParseError(.invalidContentLength) }
            var number = 0
            for byte in digits {
                guard HTTPSyntax.isDigit(byte) else { throw HTTPParseError(.invalidContentLength) }
                let (shifted, overflowA) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                // RFC 9112 §6.3 (item 5): a value that cannot be represented is an invalid Content-Length.
                guard !overflowA, !overflowB else { throw HTTPParseError(.invalidContentLength) }
                number = sum
            }
            if let result, result != number { throw HTTPParseError(.conflictingContentLength) }
            result = number
        }
        guard let result else { throw HTTPParseError(.invalidContentLength) }
        return result
    }

    /// Records the codings of one Transfer-Encoding line (a comma-separated list, RFC 9112 §6.1).
    mutating func recordTransferCodings(_ value: ArraySlice<UInt8>) {
        hasTransferEncoding = true
        for element in value.split(separator: .comma, omittingEmptySubsequences: true) {
            let coding = HTTPSyntax.trimmingWhitespace(element)
            // RFC 9110 §5.6.1: empty list elements are ignored.
            if coding.isEmpty { continue }
            if HTTPSyntax.equalsCaseInsensitive(coding, lowercase: "chunked") {
                chunkedCount += 1
                isChunkedFinal = true
            } else {
                hasUnknownCoding = true
                isChunkedFinal = false
            }
        }
    }

    /// Applies the rules both directions share to the framing fields (RFC 9112 §6.1, §6.3).
    ///
    /// - Parameters:
    ///   - version: The message's HTTP version.
    ///   - limits: The caps to enforce (``HTTPParserLimits/bodyBytes`` for a Content-Length).
    /// - Returns: How the body is delimited.
    /// - Throws: ``HTTPParseError`` when the framing is ambiguous, unsupported or over the body limit.
    func bodyFraming(version: HTTPVersion, limits: HTTPParserLimits) throws(HTTPParseError) -> BodyFraming {
        if hasTransferEncoding {
            // RFC 9112 §6.1 and §6.3 (item 3): Content-Length with Transfer-Encoding may be a smuggling or
            // response-splitting attempt; rejected in both directions.
            if contentLength != nil { throw HTTPParseError(.contentLengthWithTransferEncoding) }
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
            if version == .http1_0 { throw HTTPParseError(.transferEncodingInHTTP10) }
            // RFC 9112 §6.3 (item 4): chunked must be the final coding, else a request gets 400 (a response
            // would be read until close; refused here too); RFC 9112 §7: chunked is applied only once.
            guard isChunkedFinal, chunkedCount == 1 else { throw HTTPParseError(.invalidTransferEncoding) }
            // RFC 9112 §6.1: a coding the recipient does not understand is answered with 501.
            if hasUnknownCoding { throw HTTPParseError(.unsupportedTransferCoding) }
            return .chunked
        }
        if let contentLength {
            // RFC 9112 §6.3 (item 6): the Content-Length is the body size, refused before any body byte
            // when over the cap (RFC 9110 §15.5.14).
            guard contentLength <= limits.bodyBytes else { throw HTTPParseError(.contentTooLarge) }
            return .contentLength(contentLength)
        }
        return .unspecified
    }
}

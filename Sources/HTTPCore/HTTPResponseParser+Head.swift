// MARK: - Status line and body framing (RFC 9112 §4, §6.3)

extension HTTPResponseParser {
    /// Parses `status-line = HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4).
    ///
    /// - Returns: A head with the version and status and no fields yet.
    static func parseStatusLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPResponseHead {
        // RFC 9112 §2.3: "HTTP/" DIGIT "." DIGIT, case-sensitive; only HTTP/1.0 and HTTP/1.1 are spoken.
        let version = try HTTPVersion(parsing: line.prefix(8))
        let base = line.startIndex
        // RFC 9112 §4: exactly one SP between the version and the status code.
        guard line.count >= 12, line[base + 8] == .space else { throw HTTPParseError(.invalidStatusLine) }
        // RFC 9112 §4: status-code = 3DIGIT; RFC 9110 §15: the first digit is the class, so 000 to 099 are not
        // status codes. 600 to 999 are passed on: RFC 9110 §15 asks a client to treat them as 5xx.
        var code = 0
        for byte in line[(base + 9)..<(base + 12)] {
            guard HTTPSyntax.isDigit(byte) else { throw HTTPParseError(.invalidStatus) }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard code >= 100 else { throw HTTPParseError(.invalidStatus) }
        var reason = line[(base + 12)...]
        if let separator = reason.first {
            // RFC 9112 §4: the SP after the status code is required even before an empty reason phrase; a
            // status line that ends right after the code is tolerated, as most clients do.
            guard separator == .space else { throw HTTPParseError(.invalidStatusLine) }
            reason = reason.dropFirst()
        }
        // RFC 9112 §4: reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ); no other control bytes.
        for byte in reason where !HTTPSyntax.isFieldValueByte(byte) {
            throw HTTPParseError(.invalidReasonPhrase)
        }
        let status = HTTPStatus(code: code, reasonPhrase: String(decoding: reason, as: UTF8.self))
        return HTTPResponseHead(status: status, version: version)
    }

    /// Decides how the body of the final response ``head`` is delimited (RFC 9112 §6.3) and returns the
    /// state that reads it.
    ///
    /// - Throws: ``HTTPParseError`` when the framing fields are ambiguous, unsupported or over the body limit.
    mutating func bodyState() throws(HTTPParseError) -> State {
        // RFC 9112 §6.3 (item 1): a response to HEAD, and any 1xx, 204 or 304 response, ends with its header
        // section whatever framing fields it carries.
        if requestMethod == .head || head.status.forbidsContent {
            return .endOfMessage
        }
        // RFC 9112 §6.3 (item 2): a 2xx to CONNECT turns the connection into a tunnel right after the header
        // section; the bytes that follow are not part of the message and stay in the buffer.
        if requestMethod == .connect, head.status.kind == 2 {
            return .endOfMessage
        }
        switch try section.bodyFraming(version: head.version, limits: limits) {
        case .chunked:
            chunked = HTTPChunkedDecoder(limits: limits)
            return .chunkedBody
        case .contentLength(let length):
            return length == 0 ? .endOfMessage : .contentBody(remaining: length)
        case .unspecified:
            // RFC 9112 §6.3 (item 8): otherwise the body runs until the server closes the connection.
            return .untilClose(received: 0)
        }
    }
}

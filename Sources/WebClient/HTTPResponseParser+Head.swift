import HTTPCore

// MARK: - Status line, field lines and body framing (RFC 9112 §4, §5, §6.3)

extension HTTPResponseParser {
    /// Parses `HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4).
    static func parseStatusLine(_ line: ArraySlice<UInt8>) throws(HTTPClientError) -> HTTPResponseHead {
        // HTTP-version is "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3); only 1.0 and 1.1 are spoken.
        guard line.count >= 12, line.starts(with: "HTTP/1.".utf8) else {
            throw HTTPClientError(.malformedResponse, "status line does not start with HTTP/1.x")
        }
        let base = line.startIndex
        let minor = line[base + 7]
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1"), line[base + 8] == UInt8(ascii: " ") else {
            throw HTTPClientError(.malformedResponse, "unsupported HTTP version on the status line")
        }
        // RFC 9112 §4: status-code = 3DIGIT.
        var code = 0
        for byte in line[(base + 9)..<(base + 12)] {
            guard HTTPSyntax.isDigit(byte) else {
                throw HTTPClientError(.malformedResponse, "status code is not 3 digits")
            }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard code >= 100 else { throw HTTPClientError(.malformedResponse, "status code below 100") }
        var reason = line[(base + 12)...]
        if let separator = reason.first {
            // RFC 9112 §4: the SP before the reason is required, but the reason may be empty; a missing
            // SP after the code is tolerated, as most clients do.
            guard separator == UInt8(ascii: " ") else {
                throw HTTPClientError(.malformedResponse, "no space after the status code")
            }
            reason = reason.dropFirst()
        }
        // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ).
        guard reason.allSatisfy(HTTPSyntax.isFieldValueByte) else {
            throw HTTPClientError(.malformedResponse, "control character in the reason phrase")
        }
        let version = HTTPVersion(major: 1, minor: Int(minor - UInt8(ascii: "0")))
        let status = HTTPStatus(code: code, reasonPhrase: String(decoding: reason, as: UTF8.self))
        return HTTPResponseHead(status: status, version: version)
    }

    /// Parses `field-name ":" OWS field-value OWS` (RFC 9112 §5).
    static func parseFieldLine(_ line: ArraySlice<UInt8>, isFirstLine: Bool) throws(HTTPClientError) -> HTTPField {
        guard let first = line.first else { throw HTTPClientError(.malformedResponse, "empty field line") }
        // RFC 9112 §2.2 and §5.2: whitespace after the start line, or obs-fold, is rejected.
        if HTTPSyntax.isWhitespace(first) {
            throw HTTPClientError(
                .malformedResponse,
                isFirstLine ? "whitespace after the status line" : "obsolete line folding"
            )
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw HTTPClientError(.malformedResponse, "field line without colon")
        }
        // RFC 9112 §5.1: no whitespace between name and colon; RFC 9110 §5.1: the name is a token.
        guard let name = HTTPField.Name(String(decoding: line[line.startIndex..<colon], as: UTF8.self)) else {
            throw HTTPClientError(.malformedResponse, "invalid field name")
        }
        var value = line[(colon + 1)...]
        while let byte = value.first, HTTPSyntax.isWhitespace(byte) { value = value.dropFirst() }
        while let byte = value.last, HTTPSyntax.isWhitespace(byte) { value = value.dropLast() }
        // RFC 9110 §5.5: CR, LF, NUL and other CTLs except HTAB are invalid in a field value.
        guard value.allSatisfy(HTTPSyntax.isFieldValueByte) else {
            throw HTTPClientError(.malformedResponse, "control character in a field value")
        }
        return HTTPField(name: name, value: String(decoding: value, as: UTF8.self))
    }

    /// Decides how the body is delimited (RFC 9112 §6.3) and returns the state that reads it.
    mutating func framing(for head: HTTPResponseHead) throws(HTTPClientError) -> State {
        // Item 1: responses to HEAD, and 1xx/204/304, end with the header section.
        if requestMethod == .head || head.status.forbidsContent {
            return .endOfMessage
        }
        let fields = head.fields
        if fields.contains(.transferEncoding) {
            // Item 3: CL with TE "ought to be handled as an error" (response splitting).
            guard !fields.contains(.contentLength) else {
                throw HTTPClientError(.malformedResponse, "both Content-Length and Transfer-Encoding")
            }
            // RFC 9112 §6.1: no Transfer-Encoding in a response to our HTTP/1.1 request from an HTTP/1.0 peer.
            guard head.version == .http1_1 else {
                throw HTTPClientError(.malformedResponse, "Transfer-Encoding in an HTTP/1.0 response")
            }
            // Only chunked is decoded; no content codings were requested, so anything else is refused.
            let codings = fields.values(for: .transferEncoding).flatMap { $0.split(separator: ",") }
            guard codings.count == 1, codings[0].trimmingWhitespace().lowercased() == "chunked" else {
                throw HTTPClientError(.malformedResponse, "unsupported transfer coding")
            }
            return .chunkSizeLine
        }
        if fields.contains(.contentLength) {
            let length = try Self.contentLength(fields.values(for: .contentLength))
            guard length <= limits.bodyBytes else {
                throw HTTPClientError(.bodyTooLarge, "Content-Length \(length) exceeds \(limits.bodyBytes) bytes")
            }
            bodyBytes = length
            return length == 0 ? .endOfMessage : .contentBody(remaining: length)
        }
        // Item 8: otherwise the body runs until the server closes the connection.
        return .untilClose
    }

    /// The Content-Length from one or more field lines; identical repeated values are accepted (RFC 9110 §8.6).
    static func contentLength(_ values: [String]) throws(HTTPClientError) -> Int {
        var length: Int?
        for element in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let digits = element.trimmingWhitespace()
            guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy(HTTPSyntax.isDigit),
                let value = Int(digits)
            else {
                throw HTTPClientError(.malformedResponse, "invalid Content-Length")
            }
            // RFC 9112 §6.3 item 5: differing values make the framing unrecoverable.
            if let length, length != value {
                throw HTTPClientError(.malformedResponse, "conflicting Content-Length values")
            }
            length = value
        }
        guard let length else { throw HTTPClientError(.malformedResponse, "invalid Content-Length") }
        return length
    }
}

extension Substring {
    /// Without leading and trailing SP/HTAB (OWS).
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}

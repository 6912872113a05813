// MARK: - Request line and header section (RFC 9112 §3, §5, §6)

extension HTTPRequestParser {
    /// Parses `method SP request-target SP HTTP-version` (RFC 9112 §3) into ``pending``.
    mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        // RFC 9112 §3: exactly one SP between the three parts; no leading or trailing whitespace.
        guard let firstSpace = line.firstIndex(of: .space), firstSpace > line.startIndex else {
            throw HTTPParseError(.invalidRequestLine)
        }
        let methodBytes = line[line.startIndex..<firstSpace]
        // RFC 9112 §3.1: method = token.
        guard HTTPSyntax.isToken(methodBytes) else { throw HTTPParseError(.invalidMethod) }
        let targetStart = firstSpace + 1
        guard let secondSpace = line[targetStart...].firstIndex(of: .space), secondSpace > targetStart else {
            throw HTTPParseError(.invalidRequestLine)
        }
        let version = try Self.parseVersion(line[(secondSpace + 1)...])
        let targetBytes = line[targetStart..<secondSpace]
        // RFC 9112 §3.2: the target is a URI reference without whitespace or CTLs (a recipient MUST NOT
        // "correct" them); RFC 3986 URIs are ASCII and carry no fragment.
        for byte in targetBytes where !HTTPSyntax.isTargetByte(byte) {
            throw HTTPParseError(.invalidRequestTarget)
        }
        guard let split = HTTPRequestTarget.split(targetBytes) else { throw HTTPParseError(.invalidRequestTarget) }
        let method = HTTPMethod(validatedToken: methodBytes)
        // RFC 9112 §3.2.4: asterisk-form is only used with OPTIONS.
        if split.form == .asterisk, method != .options { throw HTTPParseError(.invalidRequestTarget) }
        pending.method = method
        // One allocation for the typical request instead of regrowing the array field by field.
        pending.fields.reserveCapacity(min(limits.headerCount, 16))
        pending.target = String(decoding: targetBytes, as: UTF8.self)
        pending.split = split
        pending.version = version
    }

    /// Parses `HTTP-version = "HTTP" "/" DIGIT "." DIGIT` (RFC 9112 §2.3; case-sensitive).
    static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8) else { throw HTTPParseError(.invalidVersion) }
        let base = bytes.startIndex
        let major = bytes[base + 5]
        let minor = bytes[base + 7]
        guard HTTPSyntax.isDigit(major), bytes[base + 6] == .period, HTTPSyntax.isDigit(minor) else {
            throw HTTPParseError(.invalidVersion)
        }
        let version = HTTPVersion(major: Int(major - UInt8(ascii: "0")), minor: Int(minor - UInt8(ascii: "0")))
        // Well-formed but not HTTP/1.0 or HTTP/1.1: RFC 9110 §15.6.6, 505.
        guard version == .http1_0 || version == .http1_1 else { throw HTTPParseError(.unsupportedVersion) }
        return version
    }

    /// Splits `field-name ":" OWS field-value OWS` (RFC 9112 §5) and validates both parts.
    ///
    /// - Parameter isFirstLine: Whether this line directly follows the request line.
    /// - Returns: The name and the value without surrounding whitespace.
    static func splitFieldLine(
        _ line: ArraySlice<UInt8>,
        isFirstLine: Bool
    ) throws(HTTPParseError) -> (name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        guard let first = line.first else { throw HTTPParseError(.invalidFieldLine) }
        if HTTPSyntax.isWhitespace(first) {
            // RFC 9112 §2.2: whitespace between the start-line and the first field line is rejected;
            // RFC 9112 §5.2: obs-fold elsewhere is rejected with 400.
            throw HTTPParseError(isFirstLine ? .whitespaceAfterStartLine : .obsoleteLineFolding)
        }
        guard let colon = line.firstIndex(of: .colon) else { throw HTTPParseError(.invalidFieldLine) }
        let name = line[line.startIndex..<colon]
        guard let last = name.last else { throw HTTPParseError(.invalidFieldName) }
        // RFC 9112 §5.1: no whitespace is allowed between the field name and the colon; 400.
        if HTTPSyntax.isWhitespace(last) { throw HTTPParseError(.whitespaceBeforeColon) }
        // RFC 9110 §5.1: field-name = token.
        guard HTTPSyntax.isToken(name) else { throw HTTPParseError(.invalidFieldName) }
        let value = HTTPSyntax.trimmingWhitespace(line[(colon + 1)...])
        // RFC 9110 §5.5: CR, LF, NUL and other CTLs except HTAB are invalid in a field value.
        for byte in value where !HTTPSyntax.isFieldValueByte(byte) {
            throw HTTPParseError(.invalidFieldValue)
        }
        return (name, value)
    }

    /// Validates one header field line, records framing fields, and appends it to ``pending``.
    mutating func parseFieldLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        let (name, value) = try Self.splitFieldLine(line, isFirstLine: pending.fields.isEmpty)
        guard pending.fields.count < limits.headerCount else { throw HTTPParseError(.tooManyFields) }
        // Framing fields are interpreted on the bytes, before any String exists.
        switch name.count {
        case 4 where HTTPSyntax.equalsCaseInsensitive(name, lowercase: "host"):
            // RFC 9112 §3.2: more than one Host line, or an invalid Host value, is answered with 400.
            pending.hostCount += 1
            guard pending.hostCount == 1 else { throw HTTPParseError(.multipleHosts) }
            for byte in value where !HTTPSyntax.isHostByte(byte) { throw HTTPParseError(.invalidHost) }
        case 14 where HTTPSyntax.equalsCaseInsensitive(name, lowercase: "content-length"):
            let length = try Self.parseContentLength(value)
            // RFC 9112 §6.3 (item 5): differing Content-Length values make the framing unrecoverable.
            if let existing = pending.contentLength, existing != length {
                throw HTTPParseError(.conflictingContentLength)
            }
            pending.contentLength = length
        case 17 where HTTPSyntax.equalsCaseInsensitive(name, lowercase: "transfer-encoding"):
            recordTransferCodings(value)
        default:
            break
        }
        pending.fields.append(
            HTTPField(name: HTTPField.Name(validatedToken: name), value: String(decoding: value, as: UTF8.self))
        )
    }

    /// Parses `Content-Length = 1*DIGIT` (RFC 9110 §8.6), accepting a list of identical values as
    /// RFC 9112 §6.3 (item 5) allows.
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
        pending.hasTransferEncoding = true
        for element in value.split(separator: .comma, omittingEmptySubsequences: true) {
            let coding = HTTPSyntax.trimmingWhitespace(element)
            // RFC 9110 §5.6.1: empty list elements are ignored.
            if coding.isEmpty { continue }
            if HTTPSyntax.equalsCaseInsensitive(coding, lowercase: "chunked") {
                pending.chunkedCount += 1
                pending.isChunkedFinal = true
            } else {
                pending.hasUnknownCoding = true
                pending.isChunkedFinal = false
            }
        }
    }

    /// Applies the whole-head rules, decides the framing and moves to the body state.
    mutating func finishHead() throws(HTTPParseError) -> HTTPRequestHead {
        // RFC 9112 §3.2: a server MUST respond with 400 to an HTTP/1.1 request without Host.
        if pending.version == .http1_1, pending.hostCount == 0 { throw HTTPParseError(.missingHost) }
        let framing: HTTPRequestHead.Framing
        if pending.hasTransferEncoding {
            // RFC 9112 §6.1: Content-Length with Transfer-Encoding may be a smuggling attempt; rejected.
            if pending.contentLength != nil { throw HTTPParseError(.contentLengthWithTransferEncoding) }
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
            if pending.version == .http1_0 { throw HTTPParseError(.transferEncodingInHTTP10) }
            // RFC 9112 §6.3 (item 4): chunked must be the final coding, else 400; RFC 9112 §7: applied once.
            guard pending.isChunkedFinal, pending.chunkedCount == 1 else {
                throw HTTPParseError(.invalidTransferEncoding)
            }
            // RFC 9112 §6.1: a coding the server does not understand is answered with 501.
            if pending.hasUnknownCoding { throw HTTPParseError(.unsupportedTransferCoding) }
            framing = .chunked
            chunkedBodyBytes = 0
            state = .chunkSizeLine
        } else if let length = pending.contentLength {
            guard length <= limits.bodyBytes else { throw HTTPParseError(.contentTooLarge) }
            framing = .contentLength(length)
            state = length == 0 ? .endOfMessage : .contentBody(remaining: length)
        } else {
            // RFC 9112 §6.3 (item 6): a request without Content-Length or Transfer-Encoding has no body.
            framing = .none
            state = .endOfMessage
        }
        let head = HTTPRequestHead(
            method: pending.method,
            target: pending.target,
            split: pending.split,
            version: pending.version,
            fields: pending.fields,
            framing: framing
        )
        pending = PendingHead()
        return head
    }
}

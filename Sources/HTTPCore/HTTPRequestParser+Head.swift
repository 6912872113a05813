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
        let version = try HTTPVersion(parsing: line[(secondSpace + 1)...])
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
        pending.section.fields.reserveCapacity(min(limits.headerCount, 16))
        pending.target = String(decoding: targetBytes, as: UTF8.self)
        pending.split = split
        pending.version = version
    }

    /// Validates one header field line, applies the Host rules and appends it to ``pending``.
    mutating func parseFieldLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        let (name, value) = try pending.section.append(fieldLine: line, limits: limits)
        if name.count == 4, HTTPSyntax.equalsCaseInsensitive(name, lowercase: "host") {
            // RFC 9112 §3.2: more than one Host line, or an invalid Host value, is answered with 400.
            pending.hostCount += 1
            guard pending.hostCount == 1 else { throw HTTPParseError(.multipleHosts) }
            for byte in value where !HTTPSyntax.isHostByte(byte) { throw HTTPParseError(.invalidHost) }
        }
    }

    /// Applies the whole-head rules, decides the framing and moves to the body state.
    mutating func finishHead() throws(HTTPParseError) -> HTTPRequestHead {
        // RFC 9112 §3.2: a server MUST respond with 400 to an HTTP/1.1 request without Host.
        if pending.version == .http1_1, pending.hostCount == 0 { throw HTTPParseError(.missingHost) }
        let framing: HTTPRequestHead.Framing
        switch try pending.section.bodyFraming(version: pending.version, limits: limits) {
        case .chunked:
            framing = .chunked
            chunked = HTTPChunkedDecoder(limits: limits)
            state = .chunkedBody
        case .contentLength(let length):
            framing = .contentLength(length)
            state = length == 0 ? .endOfMessage : .contentBody(remaining: length)
        case .unspecified:
            // RFC 9112 §6.3 (item 7): a request without Content-Length or Transfer-Encoding has no body.
            framing = .none
            state = .endOfMessage
        }
        let head = HTTPRequestHead(
            method: pending.method,
            target: pending.target,
            split: pending.split,
            version: pending.version,
            fields: pending.section.fields,
            framing: framing
        )
        pending = PendingHead()
        return head
    }
}

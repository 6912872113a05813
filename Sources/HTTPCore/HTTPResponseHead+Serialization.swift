// MARK: - Serialization (RFC 9112 §4, §5)

extension HTTPResponseHead {
    /// Appends the status line, the field lines and the empty line that ends the head.
    ///
    /// Response splitting is impossible by construction: ``HTTPField/Name`` only holds tokens, and CR, LF
    /// and NUL in values and in the reason phrase are written as SP (RFC 9110 §5.5).
    /// - Parameter buffer: The bytes to append to.
    package func write(into buffer: inout [UInt8]) {
        write(into: &buffer, contentLength: nil)
    }

    /// Appends the head; with a `contentLength`, any `Content-Length` field is left out and that length is
    /// written last instead, so a response never copies its fields to change one.
    private func write(into buffer: inout [UInt8], contentLength: Int?) {
        // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4)
        version.write(into: &buffer)
        buffer.append(.space)
        let code = status.code
        buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: code / 100))
        buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: code / 10 % 10))
        buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: code % 10))
        buffer.append(.space)
        Self.appendSanitized(status.reasonPhrase, to: &buffer)
        buffer.append(.carriageReturn)
        buffer.append(.lineFeed)
        for field in fields {
            if contentLength != nil, field.name == .contentLength { continue }
            buffer.append(contentsOf: field.name.rawName.utf8)
            buffer.append(.colon)
            buffer.append(.space)
            Self.appendSanitized(field.value, to: &buffer)
            buffer.append(.carriageReturn)
            buffer.append(.lineFeed)
        }
        if let contentLength {
            buffer.append(contentsOf: HTTPField.Name.contentLength.rawName.utf8)
            buffer.append(.colon)
            buffer.append(.space)
            buffer.append(contentsOf: String(contentLength).utf8)
            buffer.append(.carriageReturn)
            buffer.append(.lineFeed)
        }
        buffer.append(.carriageReturn)
        buffer.append(.lineFeed)
    }

    /// The serialized head.
    package var bytes: [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128)
        write(into: &buffer)
        return buffer
    }

    /// Builds a complete response: this head with `Content-Length` set to the body size, then the body.
    ///
    /// For a HEAD request the body is left out but Content-Length still announces its size (RFC 9110 §9.3.2).
    /// For 1xx, 204 and 304 neither the body nor a Content-Length is written (RFC 9110 §8.6, §15.3.5).
    /// - Parameters:
    ///   - body: The content.
    ///   - isHeadRequest: Whether the response answers a HEAD request.
    ///   - buffer: The bytes to append to.
    package func writeResponse(body: some Collection<UInt8>, isHeadRequest: Bool = false, into buffer: inout [UInt8]) {
        if status.forbidsContent {
            var head = self
            head.fields.remove(.contentLength)
            head.write(into: &buffer)
            return
        }
        write(into: &buffer, contentLength: body.count)
        if !isHeadRequest {
            buffer.append(contentsOf: body)
        }
    }

    /// Returns a complete response; see ``writeResponse(body:isHeadRequest:into:)``.
    package static func makeResponse(
        status: HTTPStatus,
        fields: HTTPFields = HTTPFields(),
        body: some Collection<UInt8>,
        isHeadRequest: Bool = false
    ) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128 + body.count)
        HTTPResponseHead(status: status, fields: fields).writeResponse(
            body: body,
            isHeadRequest: isHeadRequest,
            into: &buffer
        )
        return buffer
    }

    private static func appendSanitized(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        // Over the contiguous UTF-8 (no copy for a native string), not the UTF8View: this runs for every field
        // of every response, and the view's iterator costs several times more per byte.
        text.withUTF8 { utf8 in
            if !utf8.contains(where: { $0 == .carriageReturn || $0 == .lineFeed || $0 == 0 }) {
                buffer.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case .carriageReturn, .lineFeed, 0: buffer.append(.space)
                default: buffer.append(byte)
                }
            }
        }
    }
}

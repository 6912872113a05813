import CivilTime

// MARK: - Serialization (RFC 9112 §4, §5)

/// The fields a server puts on every response it sends: `Date` (RFC 9110 §6.6.1), `Server` (§10.2.4) and
/// `Connection: close` when the connection ends after the response (RFC 9112 §9.6). Given to the serializer,
/// they take the place of any field of the same name the response carries, so a server never copies a
/// response's fields to set them.
package struct HTTPServerFields: Sendable {
    package var date: String
    package var server: String?
    /// Whether the connection closes after this response: `Connection: close`; otherwise no `Connection` field.
    package var closesConnection: Bool

    package init(date: String, server: String? = nil, closesConnection: Bool = false) {
        self.date = date
        self.server = server
        self.closesConnection = closesConnection
    }
}

extension HTTPResponseHead {
    /// What the head says about the content's length.
    private enum ContentLength {
        /// Whatever the fields say.
        case asGiven
        /// No `Content-Length`, whatever the fields say.
        case omitted
        /// This length, written last in place of any the fields carry.
        case exactly(Int)
    }

    /// Appends the status line, the field lines and the empty line that ends the head.
    ///
    /// Response splitting is impossible by construction: ``HTTPField/Name`` only holds tokens, and CR, LF
    /// and NUL in values and in the reason phrase are written as SP (RFC 9110 §5.5).
    /// - Parameter buffer: The bytes to append to.
    package func write(into buffer: inout [UInt8]) {
        write(into: &buffer, contentLength: .asGiven, serverFields: nil)
    }

    /// Appends the head with the fields the arguments replace left out and written after the others, so a
    /// response never copies its fields to change one.
    private func write(into buffer: inout [UInt8], contentLength: ContentLength, serverFields: HTTPServerFields?) {
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
        let replacesLength: Bool
        if case .asGiven = contentLength { replacesLength = false } else { replacesLength = true }
        for field in fields {
            if replacesLength, field.name == .contentLength { continue }
            if serverFields != nil, field.name == .date || field.name == .server || field.name == .connection {
                continue
            }
            Self.appendField(field.name, field.value, to: &buffer)
        }
        if let serverFields {
            Self.appendField(.date, serverFields.date, to: &buffer)
            if let server = serverFields.server { Self.appendField(.server, server, to: &buffer) }
            if serverFields.closesConnection { Self.appendField(.connection, "close", to: &buffer) }
        }
        if case .exactly(let length) = contentLength {
            buffer.append(contentsOf: HTTPField.Name.contentLength.rawName.utf8)
            buffer.append(.colon)
            buffer.append(.space)
            DecimalDigits.append(length, to: &buffer)
            buffer.append(.carriageReturn)
            buffer.append(.lineFeed)
        }
        buffer.append(.carriageReturn)
        buffer.append(.lineFeed)
    }

    private static func appendField(_ name: HTTPField.Name, _ value: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: name.rawName.utf8)
        buffer.append(.colon)
        buffer.append(.space)
        appendSanitized(value, to: &buffer)
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
    ///   - serverFields: The server's own fields, written in place of the response's fields of the same names.
    ///   - buffer: The bytes to append to.
    package func writeResponse(
        body: [UInt8],
        isHeadRequest: Bool = false,
        serverFields: HTTPServerFields? = nil,
        into buffer: inout [UInt8]
    ) {
        if status.forbidsContent {
            write(into: &buffer, contentLength: .omitted, serverFields: serverFields)
            return
        }
        write(into: &buffer, contentLength: .exactly(body.count), serverFields: serverFields)
        if !isHeadRequest {
            buffer.append(contentsOf: body)
        }
    }

    /// Returns a complete response; see ``writeResponse(body:isHeadRequest:into:)``.
    package static func makeResponse(
        status: HTTPStatus,
        fields: HTTPFields = HTTPFields(),
        body: [UInt8],
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

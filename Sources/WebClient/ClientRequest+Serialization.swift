import HTTPCore

// MARK: - Wire form (RFC 9112 §3, §5, §6)

extension ClientRequest {
    /// Fields the client writes itself; the caller's values for them are ignored.
    private static let managedFields: [HTTPField.Name] = [.host, .contentLength, .connection, .transferEncoding]

    /// The request line, header section and body, ready to send on a new connection.
    /// - Parameter userAgent: Sent unless ``headers`` has a `User-Agent`; empty sends none.
    /// - Throws: ``HTTPClientError/Code/invalidRequest`` when a header value holds CR, LF or another control
    ///   byte (it would let the value inject fields or a second request).
    package func serialized(userAgent: String) throws(HTTPClientError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + body.count)
        bytes.append(contentsOf: "\(method.rawValue) \(url.requestTarget) HTTP/1.1\r\n".utf8)
        // RFC 9112 §3.2: Host first, as the authority of the target URI.
        append(.host, url.hostHeader, to: &bytes)
        if !userAgent.isEmpty, !headers.contains(.userAgent) {
            try Self.checkValue(userAgent)
            append(.userAgent, userAgent, to: &bytes)
        }
        for field in headers where !Self.managedFields.contains(field.name) {
            try Self.checkValue(field.value)
            append(field.name, field.value, to: &bytes)
        }
        // RFC 9110 §8.6: send Content-Length when there is content or the method anticipates it.
        if !body.isEmpty || method == .post || method == .put || method == .patch {
            append(.contentLength, String(body.count), to: &bytes)
        }
        // One request per connection: the response may then also be delimited by the close.
        append(.connection, "close", to: &bytes)
        bytes.append(contentsOf: "\r\n".utf8)
        bytes.append(contentsOf: body)
        return bytes
    }

    private func append(_ name: HTTPField.Name, _ value: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: name.rawName.utf8)
        bytes.append(contentsOf: ": ".utf8)
        bytes.append(contentsOf: value.utf8)
        bytes.append(contentsOf: "\r\n".utf8)
    }

    /// RFC 9110 §5.5: field values are HTAB, SP, VCHAR and obs-text only.
    private static func checkValue(_ value: String) throws(HTTPClientError) {
        for byte in value.utf8 where byte != 0x09 && (byte < 0x20 || byte == 0x7F) {
            throw HTTPClientError(.invalidRequest, "control character in a request header value")
        }
    }
}

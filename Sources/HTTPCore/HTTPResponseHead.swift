/// The status line and header section of a response.
///
/// ```swift
/// var head = HTTPResponseHead(status: .ok, fields: [.contentType: "text/plain"])
/// var bytes: [UInt8] = []
/// head.write(into: &bytes)          // "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
/// ```
package struct HTTPResponseHead: Sendable, Hashable {
    /// The response status.
    package var status: HTTPStatus
    /// The protocol version on the status line.
    package var version: HTTPVersion
    /// The header fields, written in order.
    package var fields: HTTPFields

    /// Creates a response head.
    package init(status: HTTPStatus, version: HTTPVersion = .http1_1, fields: HTTPFields = HTTPFields()) {
        self.status = status
        self.version = version
        self.fields = fields
    }
}

/// A complete request as handed to a responder: the head, the whole (size-limited) body, and the peer.
package struct HTTPRequest: Sendable {
    package var head: HTTPRequestHead
    package var body: [UInt8]
    /// The client's address as text (`203.0.113.7`, `2001:db8::1`), for logs and rate limits.
    package var remoteAddress: String
    /// The TLS server name the client sent, or nil on plain HTTP.
    package var serverName: String?

    package init(head: HTTPRequestHead, body: [UInt8] = [], remoteAddress: String = "", serverName: String? = nil) {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        self.serverName = serverName
    }
}

/// A complete response: status, fields and body. The server adds `Content-Length`, `Date` and `Connection`.
package struct HTTPResponse: Sendable {
    package var status: HTTPStatus
    package var fields: HTTPFields
    package var body: [UInt8]

    package init(status: HTTPStatus, fields: HTTPFields = HTTPFields(), body: [UInt8] = []) {
        self.status = status
        self.fields = fields
        self.body = body
    }
}

/// Turns a request into a response. Servers call it off the event loop when it may block (database work).
package protocol HTTPResponder: Sendable {
    /// Answers one request; never throws: every failure is already a response.
    func respond(to request: HTTPRequest) -> HTTPResponse
}

/// A complete request as handed to a responder: the head, the whole (size-limited) body, and the peer.
package struct HTTPRequest: Sendable {
    package var head: HTTPRequestHead
    package var body: [UInt8]
    /// The TCP peer's address as text (`203.0.113.7`, `2001:db8::1`): behind a reverse proxy, the proxy's.
    package var remoteAddress: String
    /// The client's address as text: ``remoteAddress``, or, when that is a trusted proxy (``TrustedProxies``), the
    /// client it forwarded for. Key per-client limits on it with ``ClientAddress/limitKey(_:)``.
    package var clientAddress: String {
        get { forwardedClientAddress ?? remoteAddress }
        set { forwardedClientAddress = newValue }
    }
    /// The TLS server name the client sent, or nil on plain HTTP.
    package var serverName: String?
    /// The client a trusted proxy named, when it differs from the peer: stored apart so that a request with no
    /// proxy in between carries (and copies) no second string.
    private var forwardedClientAddress: String?

    /// Creates a request; a nil `clientAddress` means `remoteAddress` (no proxy in between).
    package init(
        head: HTTPRequestHead,
        body: [UInt8] = [],
        remoteAddress: String = "",
        clientAddress: String? = nil,
        serverName: String? = nil
    ) {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        self.forwardedClientAddress = clientAddress
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

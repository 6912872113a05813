package import HTTPCore

/// A complete response: status, header fields and the whole (de-chunked) body.
///
/// Redirects are returned as they are (a 3xx with `Location`): the caller decides whether to follow them.
package struct ClientResponse: Sendable {
    /// The status code and reason phrase from the status line.
    package var status: HTTPStatus
    /// The header fields in the order received (trailer fields are not included).
    package var headers: HTTPFields
    /// The body; empty for HEAD, 204 and 304 responses.
    package var body: [UInt8]
    /// The TLS parameters and the server certificate for an `https` response; `nil` for plain HTTP.
    package var tls: ClientTLSDetails?

    /// Creates a response.
    package init(status: HTTPStatus, headers: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    package var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }
}

package import HTTPCore

/// An outbound request: method, absolute URL, header fields and a body.
///
/// `Host`, `Content-Length` and `Connection: close` are written by the client; setting them here has no
/// effect. `User-Agent` defaults to the client's configured value unless set.
///
/// ```swift
/// var request = try ClientRequest(method: .post, url: "https://acme.example/new-order")
/// request.headers[.contentType] = "application/jose+json"
/// request.body = Array(jws.utf8)
/// ```
package struct ClientRequest: Sendable {
    /// The method.
    package var method: HTTPMethod
    /// Where to send the request.
    package var url: ClientURL
    /// Header fields sent in order after the client's own `Host`.
    package var headers: HTTPFields
    /// The body; sent with a `Content-Length`.
    package var body: [UInt8]

    /// Creates a request for a parsed URL.
    package init(method: HTTPMethod = .get, url: ClientURL, headers: HTTPFields = [:], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Creates a request, parsing `url`.
    /// - Throws: ``HTTPClientError`` with code ``HTTPClientError/Code/invalidURL``.
    package init(method: HTTPMethod = .get, url: String, headers: HTTPFields = [:], body: [UInt8] = []) throws {
        self.init(method: method, url: try ClientURL(url), headers: headers, body: body)
    }
}

/// One HTTP request the ACME client asks its ``ACMETransport`` to send.
package struct ACMEHTTPRequest: Sendable, Equatable {
    /// GET, HEAD or POST.
    package var method: ACMEHTTPMethod
    /// The absolute `https://` URL, exactly as the directory or a previous response gave it.
    package var url: String
    /// Request header fields (`Content-Type`, `Accept`, `User-Agent`, ...).
    package var headers: ACMEHTTPHeaders
    /// The body; empty for GET and HEAD.
    package var body: [UInt8]

    /// Creates a request.
    package init(method: ACMEHTTPMethod, url: String, headers: ACMEHTTPHeaders = ACMEHTTPHeaders(), body: [UInt8] = [])
    {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

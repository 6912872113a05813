/// One HTTP response returned by an ``ACMETransport``.
package struct ACMEHTTPResponse: Sendable, Equatable {
    /// The status code, e.g. 201.
    package var status: Int
    /// Response header fields; look them up case-insensitively (`headers["Replay-Nonce"]`).
    package var headers: ACMEHTTPHeaders
    /// The complete body (transports decode chunked transfer coding).
    package var body: [UInt8]

    /// Creates a response.
    package init(status: Int, headers: ACMEHTTPHeaders = ACMEHTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the status is 2xx.
    package var isSuccess: Bool { (200..<300).contains(status) }

    /// The media type of `Content-Type` without parameters, lower-cased (`application/problem+json`).
    package var mediaType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingASCIIWhitespace().lowercased()
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else {
            return ""
        }
        return String(scalars[start...end])
    }
}

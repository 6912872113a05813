/// An HTTP response status: a three-digit code plus a reason phrase (RFC 9110 §15).
///
/// Two statuses are equal when their codes are equal; the reason phrase is informational only.
///
/// ```swift
/// let head = HTTPResponseHead(status: .notFound)
/// ```
package struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit status code.
    package let code: Int
    /// The reason phrase written on the status line.
    package let reasonPhrase: String

    /// Creates a status; `code` is clamped to `100...999` so the status line always has three digits.
    package init(code: Int, reasonPhrase: String) {
        self.code = min(max(code, 100), 999)
        self.reasonPhrase = reasonPhrase
    }

    /// Whether two statuses have the same code.
    package static func == (lhs: HTTPStatus, rhs: HTTPStatus) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only.
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `"<code> <reason>"`.
    package var description: String { "\(code) \(reasonPhrase)" }

    /// The status class: 1 for informational … 5 for server error.
    package var kind: Int { code / 100 }

    /// Whether a response with this status never carries content (1xx, 204, 304; RFC 9110 §6.4.1).
    package var forbidsContent: Bool { kind == 1 || code == 204 || code == 304 }

    // MARK: - 2xx
    /// 200 OK.
    package static let ok = HTTPStatus(code: 200, reasonPhrase: "OK")
    /// 201 Created.
    package static let created = HTTPStatus(code: 201, reasonPhrase: "Created")
    /// 202 Accepted.
    package static let accepted = HTTPStatus(code: 202, reasonPhrase: "Accepted")
    /// 204 No Content.
    package static let noContent = HTTPStatus(code: 204, reasonPhrase: "No Content")

    // MARK: - 3xx
    /// 301 Moved Permanently.
    package static let movedPermanently = HTTPStatus(code: 301, reasonPhrase: "Moved Permanently")
    /// 302 Found.
    package static let found = HTTPStatus(code: 302, reasonPhrase: "Found")
    /// 304 Not Modified.
    package static let notModified = HTTPStatus(code: 304, reasonPhrase: "Not Modified")
    /// 307 Temporary Redirect.
    package static let temporaryRedirect = HTTPStatus(code: 307, reasonPhrase: "Temporary Redirect")
    /// 308 Permanent Redirect.
    package static let permanentRedirect = HTTPStatus(code: 308, reasonPhrase: "Permanent Redirect")

    // MARK: - 4xx
    /// 400 Bad Request.
    package static let badRequest = HTTPStatus(code: 400, reasonPhrase: "Bad Request")
    /// 401 Unauthorized.
    package static let unauthorized = HTTPStatus(code: 401, reasonPhrase: "Unauthorized")
    /// 403 Forbidden.
    package static let forbidden = HTTPStatus(code: 403, reasonPhrase: "Forbidden")
    /// 404 Not Found.
    package static let notFound = HTTPStatus(code: 404, reasonPhrase: "Not Found")
    /// 405 Method Not Allowed.
    package static let methodNotAllowed = HTTPStatus(code: 405, reasonPhrase: "Method Not Allowed")
    /// 408 Request Timeout.
    package static let requestTimeout = HTTPStatus(code: 408, reasonPhrase: "Request Timeout")
    /// 409 Conflict.
    package static let conflict = HTTPStatus(code: 409, reasonPhrase: "Conflict")
    /// 412 Precondition Failed.
    package static let preconditionFailed = HTTPStatus(code: 412, reasonPhrase: "Precondition Failed")
    /// 413 Content Too Large.
    package static let contentTooLarge = HTTPStatus(code: 413, reasonPhrase: "Content Too Large")
    /// 414 URI Too Long.
    package static let uriTooLong = HTTPStatus(code: 414, reasonPhrase: "URI Too Long")
    /// 415 Unsupported Media Type.
    package static let unsupportedMediaType = HTTPStatus(code: 415, reasonPhrase: "Unsupported Media Type")
    /// 421 Misdirected Request.
    package static let misdirectedRequest = HTTPStatus(code: 421, reasonPhrase: "Misdirected Request")
    /// 422 Unprocessable Content.
    package static let unprocessableContent = HTTPStatus(code: 422, reasonPhrase: "Unprocessable Content")
    /// 429 Too Many Requests.
    package static let tooManyRequests = HTTPStatus(code: 429, reasonPhrase: "Too Many Requests")
    /// 431 Request Header Fields Too Large.
    package static let requestHeaderFieldsTooLarge = HTTPStatus(
        code: 431,
        reasonPhrase: "Request Header Fields Too Large"
    )

    // MARK: - 5xx
    /// 500 Internal Server Error.
    package static let internalServerError = HTTPStatus(code: 500, reasonPhrase: "Internal Server Error")
    /// 501 Not Implemented.
    package static let notImplemented = HTTPStatus(code: 501, reasonPhrase: "Not Implemented")
    /// 502 Bad Gateway.
    package static let badGateway = HTTPStatus(code: 502, reasonPhrase: "Bad Gateway")
    /// 503 Service Unavailable.
    package static let serviceUnavailable = HTTPStatus(code: 503, reasonPhrase: "Service Unavailable")
    /// 504 Gateway Timeout.
    package static let gatewayTimeout = HTTPStatus(code: 504, reasonPhrase: "Gateway Timeout")
    /// 505 HTTP Version Not Supported.
    package static let httpVersionNotSupported = HTTPStatus(code: 505, reasonPhrase: "HTTP Version Not Supported")
}

package import HTTPCore
package import JSON

/// Something a handler can return: it turns into an `HTTPResponse`.
package protocol ResponseGenerator: Sendable {
    /// The response to send.
    func response() -> HTTPResponse
}

extension HTTPResponse: ResponseGenerator {
    package func response() -> HTTPResponse { self }
}

/// A JSON body with a status and extra headers (`ETag`, `Location`).
package struct JSONResponse: ResponseGenerator {
    package var status: HTTPStatus
    package var body: JSONValue
    package var headers: HTTPFields

    package init(_ status: HTTPStatus = .ok, _ body: JSONValue, headers: HTTPFields = HTTPFields()) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    package func response() -> HTTPResponse {
        var fields = headers
        fields.set(.contentType, "application/json")
        fields.set(.cacheControl, "no-store")
        return HTTPResponse(status: status, fields: fields, body: body.serialized())
    }
}

/// 204 with no body.
package struct NoContent: ResponseGenerator {
    package init() {}

    package func response() -> HTTPResponse {
        HTTPResponse(status: .noContent, fields: [.cacheControl: "no-store"])
    }
}

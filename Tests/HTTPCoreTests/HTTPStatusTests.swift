import HTTPCore
import Testing

@Suite struct HTTPStatusTests {
    static let expected: [(HTTPStatus, Int, String)] = [
        (.ok, 200, "OK"), (.created, 201, "Created"), (.noContent, 204, "No Content"),
        (.movedPermanently, 301, "Moved Permanently"), (.notModified, 304, "Not Modified"),
        (.badRequest, 400, "Bad Request"), (.unauthorized, 401, "Unauthorized"), (.forbidden, 403, "Forbidden"),
        (.notFound, 404, "Not Found"), (.methodNotAllowed, 405, "Method Not Allowed"),
        (.requestTimeout, 408, "Request Timeout"), (.conflict, 409, "Conflict"),
        (.preconditionFailed, 412, "Precondition Failed"), (.contentTooLarge, 413, "Content Too Large"),
        (.uriTooLong, 414, "URI Too Long"), (.unsupportedMediaType, 415, "Unsupported Media Type"),
        (.misdirectedRequest, 421, "Misdirected Request"), (.unprocessableContent, 422, "Unprocessable Content"),
        (.tooManyRequests, 429, "Too Many Requests"),
        (.requestHeaderFieldsTooLarge, 431, "Request Header Fields Too Large"),
        (.internalServerError, 500, "Internal Server Error"), (.notImplemented, 501, "Not Implemented"),
        (.serviceUnavailable, 503, "Service Unavailable"),
        (.httpVersionNotSupported, 505, "HTTP Version Not Supported"),
    ]

    @Test func commonStatusesHaveRFC9110Codes() {
        for (status, code, reason) in Self.expected {
            #expect(status.code == code)
            #expect(status.reasonPhrase == reason)
        }
    }

    @Test func equalityComparesCodeOnly() {
        #expect(HTTPStatus(code: 404, reasonPhrase: "Nope") == .notFound)
        #expect(HTTPStatus(code: 404, reasonPhrase: "Nope").hashValue == HTTPStatus.notFound.hashValue)
        #expect(HTTPStatus.ok != .created)
    }

    @Test func codeIsClampedToThreeDigits() {
        #expect(HTTPStatus(code: 42, reasonPhrase: "x").code == 100)
        #expect(HTTPStatus(code: 1000, reasonPhrase: "x").code == 999)
    }

    @Test func contentRules() {
        #expect(HTTPStatus.noContent.forbidsContent)
        #expect(HTTPStatus.notModified.forbidsContent)
        #expect(!HTTPStatus.ok.forbidsContent)
        #expect(HTTPStatus.notFound.kind == 4)
    }
}

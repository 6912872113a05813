import HTTPCore
import Testing

@Suite struct HTTPResponseHeadTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func writesStatusLineFieldsAndEmptyLine() {
        let head = HTTPResponseHead(status: .ok, fields: [.contentType: "text/plain", .cacheControl: "max-age=60"])
        let expected = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nCache-Control: max-age=60\r\n\r\n"
        #expect(head.bytes == Array(expected.utf8))
    }

    @Test func writeAppendsToExistingBytes() {
        var buffer = Array("prefix".utf8)
        HTTPResponseHead(status: .noContent).write(into: &buffer)
        #expect(text(buffer) == "prefixHTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func writesHTTP10AndCustomStatus() {
        let head = HTTPResponseHead(status: HTTPStatus(code: 299, reasonPhrase: "Custom"), version: .http1_0)
        #expect(text(head.bytes) == "HTTP/1.0 299 Custom\r\n\r\n")
    }

    @Test func completeResponseGoldenBytes() {
        let bytes = HTTPResponseHead.makeResponse(
            status: .ok,
            fields: [.contentType: "text/plain; charset=utf-8"],
            body: Array("version: STSv1\n".utf8)
        )
        let expected =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 15\r\n\r\nversion: STSv1\n"
        #expect(text(bytes) == expected)
    }

    @Test func headResponseKeepsContentLengthButNoBody() {
        let bytes = HTTPResponseHead.makeResponse(status: .ok, body: Array("hello".utf8), isHeadRequest: true)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    }

    @Test func contentLengthReplacesAnExistingOne() {
        let head = HTTPResponseHead(status: .notFound, fields: [.contentLength: "999", .server: "mtasts"])
        var buffer: [UInt8] = []
        head.writeResponse(body: Array("nope".utf8), into: &buffer)
        // The stale length is dropped and the real one written after the other fields.
        #expect(text(buffer) == "HTTP/1.1 404 Not Found\r\nServer: mtasts\r\nContent-Length: 4\r\n\r\nnope")
    }

    /// The server's own fields take the place of the response's, after its other fields and before the length.
    @Test func serverFieldsReplaceTheResponsesOwn() {
        let head = HTTPResponseHead(
            status: .ok,
            fields: [.date: "stale", .contentType: "text/plain", .connection: "keep-alive", .server: "other"]
        )
        var kept: [UInt8] = []
        head.writeResponse(
            body: Array("ok".utf8),
            serverFields: HTTPServerFields(date: "Mon, 30 Nov 2026 15:00:00 GMT", server: "mtasts"),
            into: &kept
        )
        #expect(
            text(kept) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Mon, 30 Nov 2026 15:00:00 GMT\r\n"
                + "Server: mtasts\r\nContent-Length: 2\r\n\r\nok"
        )
        var closing: [UInt8] = []
        HTTPResponseHead(status: .notModified, fields: [.contentLength: "9", .server: "other"]).writeResponse(
            body: [UInt8](),
            serverFields: HTTPServerFields(date: "d\r\nInjected: x", closesConnection: true),
            into: &closing
        )
        #expect(text(closing) == "HTTP/1.1 304 Not Modified\r\nDate: d  Injected: x\r\nConnection: close\r\n\r\n")
    }

    @Test func noContentAndNotModifiedCarryNoBody() {
        let noContent = HTTPResponseHead.makeResponse(status: .noContent, body: Array("x".utf8))
        #expect(text(noContent) == "HTTP/1.1 204 No Content\r\n\r\n")
        let notModified = HTTPResponseHead.makeResponse(
            status: .notModified,
            fields: [.etag: "\"v1\""],
            body: [UInt8]()
        )
        #expect(text(notModified) == "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n")
    }

    @Test func emptyBodyGetsContentLengthZero() {
        let bytes = HTTPResponseHead.makeResponse(
            status: .created,
            fields: [.location: "/v1/domains/1"],
            body: [UInt8]()
        )
        #expect(text(bytes) == "HTTP/1.1 201 Created\r\nLocation: /v1/domains/1\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func neutralizesCRLFInjection() {
        let head = HTTPResponseHead(
            status: HTTPStatus(code: 400, reasonPhrase: "Bad\r\nX: y"),
            fields: [.location: "/a\r\nSet-Cookie: evil=1\u{0}"]
        )
        #expect(text(head.bytes) == "HTTP/1.1 400 Bad  X: y\r\nLocation: /a  Set-Cookie: evil=1 \r\n\r\n")
    }

    @Test func serializedErrorResponseParsesBackAsHTTP() {
        // The 431 a server sends for an oversized head is itself well-formed.
        let bytes = HTTPResponseHead.makeResponse(
            status: .requestHeaderFieldsTooLarge,
            fields: [.connection: "close"],
            body: [UInt8]()
        )
        #expect(text(bytes).hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n"))
    }
}

import HTTPCore
import Testing

@testable import WebClient

@Suite struct ClientRequestSerializationTests {
    private func text(_ request: ClientRequest, userAgent: String = "ua/1") throws -> String {
        String(decoding: try request.serialized(userAgent: userAgent), as: UTF8.self)
    }

    @Test func getHasHostUserAgentAndConnectionCloseButNoContentLength() throws {
        let request = try ClientRequest(url: "https://example.test/dir")
        #expect(
            try text(request)
                == "GET /dir HTTP/1.1\r\nHost: example.test\r\nUser-Agent: ua/1\r\nConnection: close\r\n\r\n"
        )
    }

    @Test func postWithBodyAndCallerHeaders() throws {
        var request = try ClientRequest(method: .post, url: "http://127.0.0.1:8080/x?y=1", body: Array("{}".utf8))
        request.headers[.contentType] = "application/jose+json"
        request.headers[.userAgent] = "custom"
        // Managed by the client: ignored.
        request.headers[.host] = "evil.test"
        request.headers[.contentLength] = "99"
        request.headers[.connection] = "keep-alive"
        #expect(
            try text(request)
                == "POST /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/jose+json\r\n"
                + "User-Agent: custom\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
        )
    }

    @Test func emptyPostStillSendsContentLengthZero() throws {
        let request = try ClientRequest(method: .post, url: "http://example.test/")
        #expect(try text(request, userAgent: "").contains("\r\nContent-Length: 0\r\n"))
        #expect(try !text(request, userAgent: "").contains("User-Agent"))
    }

    @Test func controlBytesInValuesAreRefused() throws {
        var request = try ClientRequest(url: "http://example.test/")
        request.headers[.accept] = "a\nb"
        #expect(throws: HTTPClientError(.invalidRequest, "")) { try request.serialized(userAgent: "") }
        request.headers[.accept] = "a\u{0}b"
        #expect(throws: HTTPClientError(.invalidRequest, "")) { try request.serialized(userAgent: "") }
        request.headers[.accept] = "tab\tok"
        #expect(try text(request).contains("Accept: tab\tok\r\n"))
    }
}

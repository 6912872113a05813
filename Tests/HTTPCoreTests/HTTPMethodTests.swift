import HTTPCore
import Testing

@Suite struct HTTPMethodTests {
    @Test func staticMembersHaveRawValues() {
        let methods: [HTTPMethod] = [.get, .head, .post, .put, .delete, .patch, .options]
        #expect(methods.map(\.rawValue) == ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    }

    @Test func methodsAreCaseSensitiveTokens() {
        #expect(HTTPMethod("GET") == .get)
        #expect(HTTPMethod("get") != .get)
        #expect(HTTPMethod("BAD METHOD") == nil)
        #expect(HTTPMethod("") == nil)
    }

    @Test func parserMapsMethodsToConstants() throws {
        for method in ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get"] {
            let request = try #require(parseRequests("\(method) / HTTP/1.1\r\nHost: a\r\n\r\n").requests.first)
            #expect(request.head.method.rawValue == method)
        }
    }
}

import HTTPCore
import Testing

@Suite struct HTTPRequestHeadTests {
    func head(_ version: HTTPVersion, connection: String?) -> HTTPRequestHead {
        var fields: HTTPFields = [.host: "a"]
        if let connection { fields.append(.connection, connection) }
        return HTTPRequestHead(method: .get, target: "/", version: version, fields: fields)
    }

    @Test func http11IsPersistentByDefault() {
        #expect(head(.http1_1, connection: nil).keepAlive)
        #expect(head(.http1_1, connection: "keep-alive").keepAlive)
        #expect(head(.http1_1, connection: "Upgrade").keepAlive)
    }

    @Test func http11ClosesOnConnectionClose() {
        #expect(!head(.http1_1, connection: "close").keepAlive)
        #expect(!head(.http1_1, connection: "CLOSE").keepAlive)
        #expect(!head(.http1_1, connection: "Upgrade,  close ").keepAlive)
        #expect(head(.http1_1, connection: "closed").keepAlive)
        #expect(head(.http1_1, connection: "not-close").keepAlive)
    }

    @Test func http10IsPersistentOnlyWithKeepAlive() {
        #expect(!head(.http1_0, connection: nil).keepAlive)
        #expect(head(.http1_0, connection: "keep-alive").keepAlive)
        #expect(head(.http1_0, connection: "Keep-Alive").keepAlive)
        #expect(!head(.http1_0, connection: "keep-alive, close").keepAlive)
    }

    @Test func connectionTokensAcrossSeveralLines() {
        var fields: HTTPFields = [.host: "a", .connection: "keep-alive"]
        fields.append(.connection, "close")
        #expect(!HTTPRequestHead(method: .get, target: "/", fields: fields).keepAlive)
    }

    @Test func parsedKeepAliveFollowsRFC9112() throws {
        let close = try #require(parseRequests("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").requests.first)
        #expect(!close.head.keepAlive)
        let http10 = try #require(parseRequests("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").requests.first)
        #expect(http10.head.keepAlive)
    }

    @Test func initializerSplitsTarget() {
        let head = HTTPRequestHead(method: .get, target: "/a/b?c=d")
        #expect(head.path == "/a/b")
        #expect(head.query == "c=d")
        #expect(head.targetForm == .origin)
        let absolute = HTTPRequestHead(method: .get, target: "http://h.example/x")
        #expect(absolute.authority == "h.example")
        #expect(absolute.path == "/x")
    }

    @Test func authorityFallsBackToHost() {
        let head = HTTPRequestHead(method: .get, target: "/", fields: [.host: "mta-sts.example.com"])
        #expect(head.authority == "mta-sts.example.com")
    }

    @Test func hasBodyFollowsFraming() {
        #expect(!HTTPRequestHead(method: .post, target: "/", framing: .none).hasBody)
        #expect(!HTTPRequestHead(method: .post, target: "/", framing: .contentLength(0)).hasBody)
        #expect(HTTPRequestHead(method: .post, target: "/", framing: .contentLength(3)).hasBody)
        #expect(HTTPRequestHead(method: .post, target: "/", framing: .chunked).hasBody)
    }
}

import HTTPCore
import Testing

@Suite struct HTTPRequestParserTests {
    @Test func parsesSimpleGet() throws {
        let outcome = parseRequests("GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        #expect(outcome.error == nil)
        let request = try #require(outcome.requests.first)
        #expect(request.isComplete)
        #expect(request.head.method == .get)
        #expect(request.head.target == "/index.html")
        #expect(request.head.path == "/index.html")
        #expect(request.head.query == nil)
        #expect(request.head.version == .http1_1)
        #expect(request.head.fields[.host] == "example.com")
        #expect(request.head.fields[.accept] == "*/*")
        #expect(request.head.framing == .none)
        #expect(request.body.isEmpty)
        #expect(outcome.leftover == 0)
    }

    @Test func emitsHeadThenEndForRequestWithoutBody() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(stringLiteral: "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        guard case .head(let head) = try parser.next(from: &buffer) else {
            Issue.record("expected head")
            return
        }
        #expect(head.path == "/")
        #expect(try parser.next(from: &buffer) == .end)
        #expect(try parser.next(from: &buffer) == nil)
        #expect(parser.isBetweenMessages)
    }

    @Test func returnsNilUntilHeadIsComplete() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(stringLiteral: "GET / HTTP/1.1\r\nHost: a\r\n")
        #expect(try parser.next(from: &buffer) == nil)
        #expect(!parser.isBetweenMessages)
        buffer.append(string: "\r\n")
        let event = try parser.next(from: &buffer)
        guard case .head = event else {
            Issue.record("expected head, got \(String(describing: event))")
            return
        }
    }

    @Test func splitsPathAndQuery() throws {
        let request = try #require(parseRequests("GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: a\r\n\r\n").requests.first)
        #expect(request.head.path == "/a/b")
        #expect(request.head.query == "x=1&y=%20")
        #expect(request.head.targetForm == .origin)
    }

    @Test func keepsEmptyQuery() throws {
        let request = try #require(parseRequests("GET /a? HTTP/1.1\r\nHost: a\r\n\r\n").requests.first)
        #expect(request.head.path == "/a")
        #expect(request.head.query == "")
    }

    @Test func parsesAbsoluteForm() throws {
        let text = "GET http://Policy.example:8080/.well-known/mta-sts.txt?v=1 HTTP/1.1\r\nHost: other\r\n\r\n"
        let request = try #require(parseRequests(text).requests.first)
        #expect(request.head.targetForm == .absolute)
        #expect(request.head.authority == "Policy.example:8080")
        #expect(request.head.path == "/.well-known/mta-sts.txt")
        #expect(request.head.query == "v=1")
    }

    @Test func absoluteFormWithoutPathHasSlashPath() throws {
        let request = try #require(parseRequests("GET https://a.example HTTP/1.1\r\nHost: a\r\n\r\n").requests.first)
        #expect(request.head.path == "/")
        #expect(request.head.authority == "a.example")
    }

    @Test func parsesAsteriskFormForOptions() throws {
        let request = try #require(parseRequests("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").requests.first)
        #expect(request.head.method == .options)
        #expect(request.head.targetForm == .asterisk)
        #expect(request.head.path == "*")
    }

    @Test func acceptsHTTP10WithoutHost() throws {
        let request = try #require(parseRequests("GET / HTTP/1.0\r\n\r\n").requests.first)
        #expect(request.head.version == .http1_0)
        #expect(request.head.authority == nil)
        #expect(request.isComplete)
    }

    @Test func parsesHead() throws {
        let request = try #require(parseRequests("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n").requests.first)
        #expect(request.head.method == .head)
        #expect(request.head.method.rawValue == "HEAD")
        #expect(request.isComplete)
        #expect(request.body.isEmpty)
    }

    @Test func keepsUnknownMethodsVerbatim() throws {
        let request = try #require(parseRequests("PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n").requests.first)
        #expect(request.head.method.rawValue == "PROPFIND")
        #expect(request.head.method == HTTPMethod("PROPFIND"))
    }

    @Test func parsesContentLengthBody() throws {
        let text = "POST /v1/domains HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world"
        let request = try #require(parseRequests(text).requests.first)
        #expect(request.head.framing == .contentLength(11))
        #expect(request.head.hasBody)
        #expect(request.body == Array("hello world".utf8))
        #expect(request.isComplete)
    }

    @Test func acceptsIdenticalContentLengths() throws {
        let text = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok"
        let request = try #require(parseRequests(text).requests.first)
        #expect(request.body == Array("ok".utf8))
    }

    @Test func zeroContentLengthEndsImmediately() throws {
        let outcome = parseRequests("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        let request = try #require(outcome.requests.first)
        #expect(request.isComplete)
        #expect(!request.head.hasBody)
    }

    @Test func partialBodyIsDeliveredAsItArrives() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(stringLiteral: "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nabc")
        _ = try parser.next(from: &buffer)
        #expect(try parser.next(from: &buffer) == .body(ArraySlice("abc".utf8)))
        #expect(try parser.next(from: &buffer) == nil)
        buffer.append(string: "defGET")
        #expect(try parser.next(from: &buffer) == .body(ArraySlice("def".utf8)))
        #expect(try parser.next(from: &buffer) == .end)
        #expect(try parser.next(from: &buffer) == nil)
        #expect(buffer.readableBytes == 3)
    }

    @Test func skipsLeadingEmptyLines() throws {
        let outcome = parseRequests("\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.requests.count == 1)
    }

    @Test func trimsFieldValueWhitespaceAndKeepsDuplicates() throws {
        let text = "GET / HTTP/1.1\r\nHost: a\r\nX-Tag:  one \t\r\nx-tag:two\r\nX-Empty:\r\n\r\n"
        let request = try #require(parseRequests(text).requests.first)
        let name = try #require(HTTPField.Name("X-Tag"))
        #expect(request.head.fields.values(for: name) == ["one", "two"])
        #expect(request.head.fields[try #require(HTTPField.Name("x-empty"))] == "")
        #expect(request.head.fields.map(\.name.rawName) == ["Host", "X-Tag", "x-tag", "X-Empty"])
    }

    @Test func acceptsHTABAndObsTextInValues() throws {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\tb".utf8) + [0xE9] + Array("\r\n\r\n".utf8)
        let outcome = parseRequests(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.requests.first?.isComplete == true)
    }

    @Test func acceptsEmptyHost() throws {
        let request = try #require(parseRequests("GET / HTTP/1.1\r\nHost:\r\n\r\n").requests.first)
        #expect(request.head.fields[.host] == "")
    }

    @Test func acceptsIPv6HostWithPort() throws {
        let request = try #require(parseRequests("GET / HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n").requests.first)
        #expect(request.head.authority == "[::1]:8443")
    }
}

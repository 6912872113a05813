import HTTPCore
import Testing

@Suite struct HTTPRequestParserPipeliningTests {
    static let pipelined =
        "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
        + "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
        + "POST /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        + "HEAD /four HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"

    @Test func parsesSeveralRequestsFromOneBuffer() throws {
        let outcome = parseRequests(Self.pipelined)
        #expect(outcome.error == nil)
        #expect(outcome.requests.map(\.head.path) == ["/one", "/two", "/three", "/four"])
        #expect(outcome.requests.map(\.body) == [[], Array("hello".utf8), Array("abc".utf8), []])
        #expect(outcome.requests.allSatisfy { $0.isComplete })
        #expect(outcome.requests.map(\.head.keepAlive) == [true, true, true, false])
        #expect(outcome.leftover == 0)
    }

    @Test func eventOrderIsHeadBodyEndPerRequest() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(
            stringLiteral: "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nxGET /b HTTP/1.1\r\nHost: a\r\n\r\n"
        )
        var kinds: [String] = []
        while let event = try parser.next(from: &buffer) {
            switch event {
            case .head(let head): kinds.append("head \(head.path)")
            case .body(let bytes): kinds.append("body \(bytes.count)")
            case .end: kinds.append("end")
            }
        }
        #expect(kinds == ["head /a", "body 1", "end", "head /b", "end"])
    }

    @Test func stopsAtAnIncompleteSecondRequest() throws {
        let outcome = parseRequests("GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTT")
        #expect(outcome.requests.count == 1)
        #expect(outcome.error == nil)
        #expect(outcome.leftover == 12)
    }

    @Test func errorInSecondRequestKeepsFirst() throws {
        let outcome = parseRequests("GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost : a\r\n\r\n")
        #expect(outcome.requests.count == 1)
        #expect(outcome.requests.first?.isComplete == true)
        #expect(outcome.error == .whitespaceBeforeColon)
    }

    @Test func skipsCRLFAfterBodyBetweenRequests() throws {
        let text = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
        let outcome = parseRequests(text)
        #expect(outcome.error == nil)
        #expect(outcome.requests.count == 2)
    }

    @Test func bufferCanBeCompactedBetweenRequests() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(stringLiteral: "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\n")
        _ = try parser.next(from: &buffer)
        _ = try parser.next(from: &buffer)
        #expect(try parser.next(from: &buffer) == nil)
        buffer.discardReadBytes()
        #expect(buffer.readerIndex == 0)
        buffer.append(string: "Host: a\r\n\r\n")
        guard case .head(let head) = try parser.next(from: &buffer) else {
            Issue.record("expected second head")
            return
        }
        #expect(head.path == "/2")
    }
}

import HTTPCore
import Testing

@testable import WebClient

/// Feeds responses whole and byte by byte; the outcome must not depend on how bytes arrive.
@Suite struct HTTPResponseParserTests {
    struct Parsed: Equatable {
        var status: Int
        var fields: [String]
        var body: String
    }

    private func parse(
        _ text: String,
        method: HTTPMethod = .get,
        limits: HTTPResponseParserLimits = HTTPResponseParserLimits(),
        bytewise: Bool = false,
        close: Bool = true
    ) throws(HTTPClientError) -> Parsed {
        var parser = HTTPResponseParser(limits: limits, requestMethod: method)
        var buffer = ByteBuffer()
        var parsed = Parsed(status: 0, fields: [], body: "")
        var body: [UInt8] = []
        let bytes = Array(text.utf8)
        let pieces = bytewise ? bytes.map { [$0] } : [bytes]
        func drain(_ parser: inout HTTPResponseParser) throws(HTTPClientError) -> Bool {
            while let event = try parser.next(from: &buffer) {
                switch event {
                case .head(let head):
                    parsed.status = head.status.code
                    parsed.fields = head.fields.map(\.description)
                case .body(let slice): body += slice
                case .end: return true
                }
            }
            return false
        }
        for piece in pieces {
            buffer.append(contentsOf: piece)
            if try drain(&parser) {
                parsed.body = String(decoding: body, as: UTF8.self)
                return parsed
            }
        }
        if close, let event = try parser.endOfStream() {
            #expect(event == .end)
        }
        parsed.body = String(decoding: body, as: UTF8.self)
        return parsed
    }

    private func both(_ text: String, method: HTTPMethod = .get) throws -> Parsed {
        let whole = try parse(text, method: method)
        #expect(try parse(text, method: method, bytewise: true) == whole)
        return whole
    }

    private func failure(
        _ text: String,
        limits: HTTPResponseParserLimits = HTTPResponseParserLimits()
    ) -> HTTPClientError.Code? {
        var codes: [HTTPClientError.Code] = []
        for bytewise in [false, true] {
            do {
                _ = try parse(text, limits: limits, bytewise: bytewise)
            } catch {
                codes.append(error.code)
            }
        }
        #expect(codes.count == 2 && codes[0] == codes[1], "\(codes)")
        return codes.first
    }

    @Test func contentLength() throws {
        let parsed = try both("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  spaced  \r\n\r\nhello")
        #expect(parsed == Parsed(status: 200, fields: ["Content-Length: 5", "X-A: spaced"], body: "hello"))
    }

    @Test func chunkedWithExtensionsAndTrailers() throws {
        let parsed = try both(
            "HTTP/1.1 201 Created\r\nTransfer-Encoding: Chunked\r\n\r\n4;a=b\r\nWiki\r\n9 \r\npedia in \r\n0\r\nT: 1\r\n\r\n"
        )
        #expect(parsed.status == 201)
        #expect(parsed.body == "Wikipedia in ")
    }

    @Test func untilCloseAndEmptyReason() throws {
        let parsed = try both("HTTP/1.0 200 \r\n\r\nrest of stream")
        #expect(parsed.body == "rest of stream")
        #expect(try both("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n").status == 404)
    }

    @Test func noBodyForHeadAnd204And304() throws {
        #expect(try both("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", method: .head).body == "")
        #expect(try both("HTTP/1.1 204 No Content\r\n\r\n").body == "")
        #expect(try both("HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n").body == "")
        // Completes without the connection closing.
        #expect(try parse("HTTP/1.1 204 No Content\r\n\r\n", close: false).status == 204)
    }

    @Test func interimResponsesAreSkipped() throws {
        let parsed = try both(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        )
        #expect(parsed == Parsed(status: 200, fields: ["Content-Length: 2"], body: "ok"))
    }

    @Test func repeatedIdenticalContentLengthIsAccepted() throws {
        #expect(try both("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok").body == "ok")
    }

    @Test func malformedResponses() {
        let cases = [
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 099 Low\r\n\r\n",
            "HTTP/1.1 200OK\r\n\r\n",
            "http/1.1 200 OK\r\n\r\n",
            "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\n Folded: x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n",
            "HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nName : x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nA: x\u{1}y\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\nab\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n",
            "HTTP/1.1 101 Switching Protocols\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            "",
        ]
        for text in cases {
            #expect(failure(text) == .malformedResponse, "\(text.debugDescription)")
        }
    }

    @Test func limits() {
        let small = HTTPResponseParserLimits(statusLineBytes: 20, headerBytes: 64, headerCount: 2, bodyBytes: 4)
        #expect(failure("HTTP/1.1 200 A very long reason phrase\r\n\r\n", limits: small) == .malformedResponse)
        #expect(
            failure("HTTP/1.1 200 OK\r\nA: \(String(repeating: "x", count: 80))\r\n\r\n", limits: small)
                == .malformedResponse
        )
        #expect(failure("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: small) == .malformedResponse)
        #expect(failure("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", limits: small) == .bodyTooLarge)
        #expect(
            failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\n", limits: small)
                == .bodyTooLarge
        )
        #expect(failure("HTTP/1.1 200 OK\r\n\r\nhello", limits: small) == .bodyTooLarge)
        #expect(throws: Never.self) { try parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfour", limits: small) }
    }
}

import HTTPCore
import Testing

/// The response parser must produce the same response however the bytes are split, and keep its verdict.
@Suite struct HTTPResponseParserIncrementalTests {
    static let texts: [String] = [
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nversion: STS",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /acme/order/1\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\n",
        "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody until the connection closes",
        "HTTP/1.1 204 No Content\r\nETag: \"1\"\r\n\r\n",
    ]
    static let inputs = texts.enumerated().map { ValidInput(name: "response \($0.offset)", text: $0.element) }

    @Test(arguments: inputs)
    func byteByByteMatchesWholeBuffer(_ valid: ValidInput) {
        let whole = parseResponse(valid.text)
        #expect(whole.error == nil)
        #expect(whole.isComplete)
        #expect(parseResponse(valid.text, feeding: .byteByByte) == whole)
    }

    @Test(arguments: inputs)
    func randomSplitsMatchWholeBuffer(_ valid: ValidInput) {
        let whole = parseResponse(valid.text)
        for seed in UInt64(1)...20 {
            #expect(parseResponse(valid.text, feeding: .randomSplits(seed: seed)) == whole, "seed \(seed)")
        }
    }

    @Test(arguments: HTTPResponseParserTests.malformed.map(\.0))
    func malformedVerdictDoesNotDependOnSplits(_ text: String) {
        let whole = parseResponse(text)
        for seed in UInt64(1)...5 {
            var split = parseResponse(text, feeding: .randomSplits(seed: seed))
            // Where the error strikes inside the last read differs between feedings; the verdict must not.
            split.leftover = whole.leftover
            #expect(split == whole, "seed \(seed)")
        }
    }

    @Test func bodyArrivesAsItIsReceived() throws {
        var parser = HTTPResponseParser(requestMethod: .get)
        var buffer = ByteBuffer(stringLiteral: "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabc")
        guard case .head(let head) = try parser.next(from: &buffer) else {
            Issue.record("expected head")
            return
        }
        #expect(head.status == .ok)
        #expect(try parser.next(from: &buffer) == .body(ArraySlice("abc".utf8)))
        #expect(try parser.next(from: &buffer) == nil)
        #expect(!parser.isComplete)
        buffer.append(string: "def")
        #expect(try parser.next(from: &buffer) == .body(ArraySlice("def".utf8)))
        #expect(try parser.next(from: &buffer) == .end)
        #expect(parser.isComplete)
        #expect(try parser.next(from: &buffer) == nil)
        #expect(try parser.endOfStream() == nil)
    }

    @Test func untilCloseEndsAtEndOfStream() throws {
        var parser = HTTPResponseParser(requestMethod: .get)
        var buffer = ByteBuffer(stringLiteral: "HTTP/1.1 200 OK\r\n\r\npart")
        _ = try parser.next(from: &buffer)
        #expect(try parser.next(from: &buffer) == .body(ArraySlice("part".utf8)))
        #expect(try parser.next(from: &buffer) == nil)
        #expect(try parser.endOfStream() == .end)
        #expect(parser.isComplete)
    }

    @Test func closeDuringTheStatusLineIsATruncatedMessage() throws {
        var parser = HTTPResponseParser(requestMethod: .get)
        var buffer = ByteBuffer(stringLiteral: "HTTP/1.1 2")
        #expect(try parser.next(from: &buffer) == nil)
        #expect(throws: HTTPParseError(.truncatedMessage)) { _ = try parser.endOfStream() }
        var fresh = HTTPResponseParser(requestMethod: .get)
        #expect(throws: HTTPParseError(.missingResponse)) { _ = try fresh.endOfStream() }
    }

    @Test func failedParserKeepsThrowing() throws {
        var parser = HTTPResponseParser(requestMethod: .get)
        var buffer = ByteBuffer(stringLiteral: "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n")
        #expect(throws: HTTPParseError(.bareLineFeed)) { _ = try parser.next(from: &buffer) }
        var fresh = ByteBuffer(stringLiteral: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(throws: HTTPParseError(.bareLineFeed)) { _ = try parser.next(from: &fresh) }
        #expect(throws: HTTPParseError(.bareLineFeed)) { _ = try parser.endOfStream() }
    }

    @Test func overLongStatusLineIsRefusedBeforeItsEnd() throws {
        var parser = HTTPResponseParser(limits: HTTPParserLimits(statusLineBytes: 16), requestMethod: .get)
        var buffer = ByteBuffer(stringLiteral: "HTTP/1.1 200 OKO\r")
        #expect(try parser.next(from: &buffer) == nil)
        buffer.append(string: "x")
        #expect(throws: HTTPParseError(.statusLineTooLong)) { _ = try parser.next(from: &buffer) }
    }

    @Test func statusLineAtTheLimitIsAccepted() {
        let limits = HTTPParserLimits(statusLineBytes: 16)
        #expect(parseResponse("HTTP/1.1 200 OKO\r\n\r\n", limits: limits).error == nil)
        #expect(parseResponse("HTTP/1.1 200 OKOK\r\n\r\n", limits: limits).error == .statusLineTooLong)
    }

    @Test func headerSectionAtTheLimitIsAccepted() {
        // "A: xxxx\r\n" (9 bytes) plus the final CRLF: 11 bytes.
        let limits = HTTPParserLimits(headerBytes: 11)
        #expect(parseResponse("HTTP/1.1 200 OK\r\nA: xxxx\r\n\r\n", limits: limits).error == nil)
        #expect(parseResponse("HTTP/1.1 200 OK\r\nA: xxxxx\r\n\r\n", limits: limits).error == .headerSectionTooLarge)
        #expect(
            parseResponse("HTTP/1.1 200 OK\r\nA: xxxxx\r\n\r\n", limits: limits, feeding: .byteByByte).error
                == .headerSectionTooLarge
        )
    }
}

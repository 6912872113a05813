import HTTPCore
import Testing

/// Feeds responses whole and byte by byte; the outcome must not depend on how bytes arrive.
@Suite struct HTTPResponseParserTests {
    struct Parsed: Equatable {
        var status: Int
        var fields: [String]
        var body: String
    }

    /// Parses whole and byte by byte, expects the same successful outcome, and returns it.
    private func both(_ text: String, method: HTTPMethod = .get) throws -> Parsed {
        let whole = parseResponse(text, method: method)
        #expect(parseResponse(text, method: method, feeding: .byteByByte) == whole)
        if let error = whole.error { throw HTTPParseError(error) }
        return Parsed(status: whole.status, fields: whole.fields, body: whole.body)
    }

    /// The error for `text`, which must be the same whole and byte by byte.
    private func failure(_ text: String, limits: HTTPParserLimits = .default) -> HTTPParseError.Code? {
        let codes = [Feeding.whole, .byteByByte].compactMap { parseResponse(text, limits: limits, feeding: $0).error }
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
        let noClose = parseResponse("HTTP/1.1 204 No Content\r\n\r\n", close: false)
        #expect(noClose.status == 204)
        #expect(noClose.isComplete)
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

    /// Each malformed response with the rule it breaks; the client reports all but `contentTooLarge` as
    /// `malformedResponse`.
    static let malformed: [(String, HTTPParseError.Code)] = [
        ("HTTP/2 200 OK\r\n\r\n", .invalidVersion),
        ("HTTP/1.1 20 OK\r\n\r\n", .invalidStatus),
        ("HTTP/1.1 099 Low\r\n\r\n", .invalidStatus),
        ("HTTP/1.1 200OK\r\n\r\n", .invalidStatusLine),
        ("http/1.1 200 OK\r\n\r\n", .invalidVersion),
        ("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", .bareLineFeed),
        ("HTTP/1.1 200 OK\r\n Folded: x\r\n\r\n", .whitespaceAfterStartLine),
        ("HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n", .obsoleteLineFolding),
        ("HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", .invalidFieldLine),
        ("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", .invalidFieldName),
        ("HTTP/1.1 200 OK\r\nName : x\r\n\r\n", .whitespaceBeforeColon),
        ("HTTP/1.1 200 OK\r\nA: x\u{1}y\r\n\r\n", .invalidFieldValue),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", .conflictingContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
        (
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            .contentLengthWithTransferEncoding
        ),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", .invalidTransferEncoding),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", .unsupportedTransferCoding),
        ("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .transferEncodingInHTTP10),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunkSize),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n", .invalidChunkTerminator),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\nab\r\n0\r\n\r\n", .invalidChunkSize),
        // 2^60 fits in 64 bits: one chunk-size rule for both directions, and this one is over the body limit.
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", .contentTooLarge),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n", .truncatedMessage),
        ("HTTP/1.1 101 Switching Protocols\r\n\r\n", .unexpectedInterimResponse),
        ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", .truncatedMessage),
        ("", .missingResponse),
    ]

    @Test func malformedResponses() {
        for (text, code) in Self.malformed {
            #expect(failure(text) == code, "\(text.debugDescription)")
        }
    }

    @Test func defaultLimitsAreTheRequestParsersLimits() {
        let limits = HTTPParserLimits()
        #expect(limits.statusLineBytes == 8192)
        #expect(limits.headerBytes == 16384)
        #expect(limits.headerCount == 100)
        #expect(limits.bodyBytes == 1 << 20)
        #expect(HTTPParserLimits(requestLineBytes: 64, headerBytes: 128).statusLineBytes == 8192)
        #expect(HTTPResponseParser(requestMethod: .get).limits == .default)
    }

    @Test func limits() {
        let small = HTTPParserLimits(statusLineBytes: 20, headerBytes: 64, headerCount: 2, bodyBytes: 4)
        #expect(failure("HTTP/1.1 200 A very long reason phrase\r\n\r\n", limits: small) == .statusLineTooLong)
        #expect(
            failure("HTTP/1.1 200 OK\r\nA: \(String(repeating: "x", count: 80))\r\n\r\n", limits: small)
                == .headerSectionTooLarge
        )
        #expect(failure("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: small) == .tooManyFields)
        #expect(failure("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", limits: small) == .contentTooLarge)
        #expect(
            failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\n", limits: small)
                == .contentTooLarge
        )
        #expect(failure("HTTP/1.1 200 OK\r\n\r\nhello", limits: small) == .contentTooLarge)
        #expect(parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfour", limits: small).error == nil)
    }
}

import HTTPCore
import Testing

/// Each cap is checked exactly at the limit (accepted) and one byte or field over it (rejected).
@Suite struct HTTPRequestParserLimitsTests {
    /// A request line of exactly `length` bytes (without CRLF).
    static func requestLine(length: Int) -> String {
        let fixed = "GET / HTTP/1.1".utf8.count
        return "GET /" + String(repeating: "a", count: length - fixed) + " HTTP/1.1"
    }

    /// A header section (after the request line, including the final CRLF) of exactly `size` bytes.
    static func headerSection(size: Int) -> String {
        let host = "Host: a\r\n"
        let fixed = host.utf8.count + "X-Fill: \r\n".utf8.count + 2
        return host + "X-Fill: " + String(repeating: "f", count: size - fixed) + "\r\n\r\n"
    }

    @Test func requestLineAtLimitIsAccepted() {
        let limits = HTTPParserLimits(requestLineBytes: 64)
        let outcome = parseRequests(Self.requestLine(length: 64) + "\r\nHost: a\r\n\r\n", limits: limits)
        #expect(outcome.error == nil)
        #expect(outcome.requests.first?.head.target.utf8.count == 64 - "GET  HTTP/1.1".utf8.count)
    }

    @Test(arguments: [Feeding.whole, .byteByByte])
    func requestLineOverLimitIs414(_ feeding: Feeding) {
        let limits = HTTPParserLimits(requestLineBytes: 64)
        let outcome = parseRequests(
            Self.requestLine(length: 65) + "\r\nHost: a\r\n\r\n",
            limits: limits,
            feeding: feeding
        )
        #expect(outcome.error == .requestLineTooLong)
        #expect(outcome.error?.status == .uriTooLong)
    }

    @Test func unterminatedRequestLineIsRejectedBeforeItsEnd() throws {
        var parser = HTTPRequestParser(limits: HTTPParserLimits(requestLineBytes: 16))
        var buffer = ByteBuffer(stringLiteral: "GET /" + String(repeating: "a", count: 11) + "\r")
        #expect(try parser.next(from: &buffer) == nil)
        buffer.append(string: "x")
        #expect(throws: HTTPParseError(.requestLineTooLong)) { _ = try parser.next(from: &buffer) }
    }

    @Test func defaultRequestLineLimitIs8192() {
        #expect(parseError(Self.requestLine(length: 8192) + "\r\nHost: a\r\n\r\n") == nil)
        #expect(parseError(Self.requestLine(length: 8193) + "\r\nHost: a\r\n\r\n") == .requestLineTooLong)
    }

    @Test func headerSectionAtLimitIsAccepted() {
        let limits = HTTPParserLimits(headerBytes: 200)
        let section = Self.headerSection(size: 200)
        #expect(section.utf8.count == 200)
        #expect(parseError("GET / HTTP/1.1\r\n" + section, limits: limits) == nil)
    }

    @Test(arguments: [Feeding.whole, .byteByByte])
    func headerSectionOverLimitIs431(_ feeding: Feeding) {
        let limits = HTTPParserLimits(headerBytes: 200)
        let outcome = parseRequests(
            "GET / HTTP/1.1\r\n" + Self.headerSection(size: 201),
            limits: limits,
            feeding: feeding
        )
        #expect(outcome.error == .headerSectionTooLarge)
        #expect(outcome.error?.status == .requestHeaderFieldsTooLarge)
    }

    @Test func defaultHeaderSectionLimitIs16384() {
        #expect(parseError("GET / HTTP/1.1\r\n" + Self.headerSection(size: 16384)) == nil)
        #expect(parseError("GET / HTTP/1.1\r\n" + Self.headerSection(size: 16385)) == .headerSectionTooLarge)
    }

    @Test func fieldCountAtLimitIsAccepted() {
        let fields = "Host: a\r\n" + (1..<100).map { "X-\($0): v\r\n" }.joined()
        #expect(parseError("GET / HTTP/1.1\r\n" + fields + "\r\n") == nil)
    }

    @Test func fieldCountOverLimitIs431() {
        let fields = "Host: a\r\n" + (1...100).map { "X-\($0): v\r\n" }.joined()
        let error = parseError("GET / HTTP/1.1\r\n" + fields + "\r\n")
        #expect(error == .tooManyFields)
        #expect(error?.status.code == 431)
    }

    @Test func contentLengthAtLimitIsAccepted() throws {
        let limits = HTTPParserLimits(bodyBytes: 10)
        let outcome = parseRequests(
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789",
            limits: limits
        )
        #expect(outcome.error == nil)
        #expect(outcome.requests.first?.body.count == 10)
    }

    @Test func contentLengthOverLimitIs413BeforeTheBody() {
        let limits = HTTPParserLimits(bodyBytes: 10)
        let outcome = parseRequests("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: limits)
        #expect(outcome.error == .contentTooLarge)
        #expect(outcome.error?.status == .contentTooLarge)
        #expect(outcome.requests.isEmpty)
    }

    @Test func defaultBodyLimitIsOneMebibyte() {
        #expect(HTTPParserLimits().bodyBytes == 1_048_576)
        #expect(parseError("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n") == nil)
        #expect(parseError("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n") == .contentTooLarge)
    }

    @Test func chunkedBodyAtAndOverLimit() {
        let limits = HTTPParserLimits(bodyBytes: 16)
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(parseError(head + "10\r\n0123456789abcdef\r\n0\r\n\r\n", limits: limits) == nil)
        #expect(parseError(head + "11\r\n", limits: limits) == .contentTooLarge)
    }

    @Test func trailerSectionBytesAreLimited() {
        let limits = HTTPParserLimits(headerBytes: 64)
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let trailer = "X-T: " + String(repeating: "t", count: 80) + "\r\n"
        #expect(parseError(head + "0\r\n" + trailer + "\r\n", limits: limits) == .headerSectionTooLarge)
    }
}

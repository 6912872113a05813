import HTTPCore
import Testing

@Suite struct HTTPRequestParserChunkedTests {
    static let head = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

    @Test func parsesChunkedBody() throws {
        let outcome = parseRequests(Self.head + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        #expect(outcome.error == nil)
        let request = try #require(outcome.requests.first)
        #expect(request.head.framing == .chunked)
        #expect(request.body == Array("hello world".utf8))
        #expect(request.isComplete)
        #expect(outcome.leftover == 0)
    }

    @Test func ignoresChunkExtensions() throws {
        let text = Self.head + "5;name=value;flag\r\nhello\r\n3 ; q=\"a b\"\r\nabc\r\n0;last\r\n\r\n"
        let request = try #require(parseRequests(text).requests.first)
        #expect(request.body == Array("helloabc".utf8))
        #expect(request.isComplete)
    }

    @Test func parsesAndDiscardsTrailers() throws {
        let text =
            Self.head + "2\r\nok\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n"
        let outcome = parseRequests(text)
        #expect(outcome.error == nil)
        #expect(outcome.requests.count == 2)
        #expect(outcome.requests[0].body == Array("ok".utf8))
        #expect(outcome.requests[0].head.fields[try #require(HTTPField.Name("X-Checksum"))] == nil)
        #expect(outcome.requests[1].head.path == "/next")
    }

    @Test func acceptsUpperAndLowerCaseHex() throws {
        let body = [UInt8](repeating: 0x61, count: 0xAb)
        let text = Self.head + "aB\r\n" + String(decoding: body, as: UTF8.self) + "\r\n0\r\n\r\n"
        let request = try #require(parseRequests(text).requests.first)
        #expect(request.body.count == 0xAB)
    }

    @Test func acceptsLeadingZerosInChunkSize() throws {
        let request = try #require(parseRequests(Self.head + "0003\r\nabc\r\n000\r\n\r\n").requests.first)
        #expect(request.body == Array("abc".utf8))
        #expect(request.isComplete)
    }

    @Test func transferEncodingIsCaseInsensitive() throws {
        let text = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"
        let request = try #require(parseRequests(text).requests.first)
        #expect(request.body == Array("x".utf8))
    }

    @Test func rejectsOverflowingChunkSize() {
        #expect(parseError(Self.head + "ffffffffffffffffff\r\n") == .invalidChunkSize)
        #expect(parseError(Self.head + "10000000000000000\r\n") == .invalidChunkSize)
        #expect(parseError(Self.head + "ffffffffffffffffff\r\n").map { $0.status } == .badRequest)
    }

    @Test func chunkSizesAddUpAgainstTheBodyLimit() {
        let limits = HTTPParserLimits(bodyBytes: 8)
        let fits = parseRequests(Self.head + "4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n", limits: limits)
        #expect(fits.error == nil)
        #expect(fits.requests.first?.body.count == 8)
        let over = parseRequests(Self.head + "4\r\nabcd\r\n5\r\nefghi\r\n0\r\n\r\n", limits: limits)
        #expect(over.error == .contentTooLarge)
        #expect(over.requests.first?.body == Array("abcd".utf8))
    }

    @Test func deliversChunkDataAsItArrives() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(stringLiteral: Self.head + "a\r\n01234")
        _ = try parser.next(from: &buffer)
        #expect(try parser.next(from: &buffer) == .body(ArraySlice("01234".utf8)))
        #expect(try parser.next(from: &buffer) == nil)
        buffer.append(string: "56789\r")
        #expect(try parser.next(from: &buffer) == .body(ArraySlice("56789".utf8)))
        #expect(try parser.next(from: &buffer) == nil)
        buffer.append(string: "\n0\r\n\r\n")
        #expect(try parser.next(from: &buffer) == .end)
    }

    @Test func trailerCountIsLimited() {
        let limits = HTTPParserLimits(headerCount: 2)
        let trailers = (1...3).map { "X-\($0): v\r\n" }.joined()
        #expect(parseError(Self.head + "0\r\n" + trailers + "\r\n", limits: limits) == .tooManyFields)
        let fewer = (1...2).map { "X-\($0): v\r\n" }.joined()
        #expect(parseError(Self.head + "0\r\n" + fewer + "\r\n", limits: limits) == nil)
    }

    @Test func chunkLineLengthIsLimited() {
        let longExtension = ";" + String(repeating: "e", count: 5000)
        #expect(parseError(Self.head + "1" + longExtension + "\r\nx\r\n0\r\n\r\n") == .chunkLineTooLong)
    }
}

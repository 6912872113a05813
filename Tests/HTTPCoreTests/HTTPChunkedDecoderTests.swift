import Testing

@testable import HTTPCore

/// The chunked decoder shared by the request and the response parser (RFC 9112 §7.1).
@Suite struct HTTPChunkedDecoderTests {
    /// What decoding a body produced.
    struct Decoded: Equatable {
        var data: [UInt8] = []
        var isComplete = false
        var error: HTTPParseError.Code?
        var leftover = 0
    }

    /// Decodes `text` fed whole or byte by byte.
    private func decode(_ text: String, limits: HTTPParserLimits = .default, bytewise: Bool = false) -> Decoded {
        var decoder = HTTPChunkedDecoder(limits: limits)
        var buffer = ByteBuffer()
        var decoded = Decoded()
        let bytes = Array(text.utf8)
        do {
            for piece in bytewise ? bytes.map({ [$0] }) : [bytes] {
                buffer.append(contentsOf: piece)
                while !decoded.isComplete, let event = try decoder.next(from: &buffer) {
                    switch event {
                    case .data(let chunk): decoded.data += chunk
                    case .end: decoded.isComplete = true
                    }
                }
            }
        } catch {
            decoded.error = error.code
        }
        decoded.leftover = buffer.readableBytes
        return decoded
    }

    /// Decodes whole and byte by byte and expects the same verdict.
    private func both(_ text: String, limits: HTTPParserLimits = .default) -> Decoded {
        let whole = decode(text, limits: limits)
        var bytewise = decode(text, limits: limits, bytewise: true)
        // Where an error strikes inside the last read differs between feedings; the verdict must not.
        if whole.error != nil { bytewise.leftover = whole.leftover }
        #expect(bytewise == whole, "\(text.debugDescription)")
        return whole
    }

    @Test func decodesChunksAndStopsAfterTheLastOne() {
        let decoded = both("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nNEXT")
        #expect(decoded.data == Array("hello world".utf8))
        #expect(decoded.isComplete)
        #expect(decoded.error == nil)
        #expect(decoded.leftover == 4)
    }

    @Test func keepsReturningEndWithoutConsuming() throws {
        var decoder = HTTPChunkedDecoder(limits: .default)
        var buffer = ByteBuffer(stringLiteral: "0\r\n\r\nGET")
        #expect(try decoder.next(from: &buffer) == .end)
        #expect(try decoder.next(from: &buffer) == .end)
        #expect(buffer.readableBytes == 3)
    }

    @Test func deliversDataAsItArrives() throws {
        var decoder = HTTPChunkedDecoder(limits: .default)
        var buffer = ByteBuffer(stringLiteral: "a\r\n01234")
        #expect(try decoder.next(from: &buffer) == .data(ArraySlice("01234".utf8)))
        #expect(try decoder.next(from: &buffer) == nil)
        buffer.append(string: "56789\r")
        #expect(try decoder.next(from: &buffer) == .data(ArraySlice("56789".utf8)))
        #expect(try decoder.next(from: &buffer) == nil)
        buffer.append(string: "\n0\r\n\r\n")
        #expect(try decoder.next(from: &buffer) == .end)
        #expect(decoder.bodyBytes == 10)
    }

    // MARK: - Chunk size (RFC 9112 §7.1)

    @Test func chunkSizeIsHexWithAnyCaseAndLeadingZeros() {
        let body = String(repeating: "a", count: 0xAB)
        #expect(both("aB\r\n\(body)\r\n0\r\n\r\n").data.count == 0xAB)
        #expect(both("0003\r\nabc\r\n000\r\n\r\n").data == Array("abc".utf8))
        // 1*HEXDIG has no length cap: leading zeros beyond 16 digits are still a small size.
        #expect(both("000000000000000000000001\r\nx\r\n0\r\n\r\n").data == Array("x".utf8))
    }

    @Test func chunkSizeOverflowRule() {
        // Does not fit in 64 bits: not a usable size at all (400).
        #expect(both("10000000000000000\r\n").error == .invalidChunkSize)
        #expect(both("ffffffffffffffffff\r\n").error == .invalidChunkSize)
        #expect(HTTPParseError(.invalidChunkSize).status == .badRequest)
        // Fits in 64 bits but not in the body limit: too large (413), before any of its data.
        #expect(both("ffffffffffffffff\r\n").error == .contentTooLarge)
        #expect(both("1000000000000000\r\n").error == .contentTooLarge)
        #expect(both("100001\r\n").error == .contentTooLarge)
        #expect(HTTPParseError(.contentTooLarge).status == .contentTooLarge)
    }

    @Test func chunkSizesAddUpAgainstTheBodyLimit() {
        let limits = HTTPParserLimits(bodyBytes: 8)
        #expect(both("4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n", limits: limits).data.count == 8)
        let over = both("4\r\nabcd\r\n5\r\nefghi\r\n0\r\n\r\n", limits: limits)
        #expect(over.error == .contentTooLarge)
        #expect(over.data == Array("abcd".utf8))
    }

    @Test func malformedChunkSizeLines() {
        #expect(both("zz\r\n").error == .invalidChunkSize)
        #expect(both("\r\n").error == .invalidChunkSize)
        #expect(both(" 5\r\nhello\r\n0\r\n\r\n").error == .invalidChunkSize)
        #expect(both("5 x\r\nhello\r\n0\r\n\r\n").error == .invalidChunkSize)
        #expect(both("5\nhello\r\n0\r\n\r\n").error == .bareLineFeed)
        #expect(both("1;" + String(repeating: "e", count: 5000) + "\r\nx\r\n0\r\n\r\n").error == .chunkLineTooLong)
    }

    // MARK: - Extensions (RFC 9112 §7.1.1)

    @Test func extensionsAreValidatedAndIgnored() {
        let decoded = both("5;name=value;flag\r\nhello\r\n3 ; q=\"a b\"\r\nabc\r\n0;last\r\n\r\n")
        #expect(decoded.data == Array("helloabc".utf8))
        #expect(decoded.isComplete)
        #expect(both("5;a=\u{1}\r\nhello\r\n0\r\n\r\n").error == .invalidChunkExtension)
        #expect(both("5;a=\u{7F}\r\nhello\r\n0\r\n\r\n").error == .invalidChunkExtension)
    }

    // MARK: - Data terminator

    @Test func chunkDataMustEndWithCRLF() {
        #expect(both("5\r\nhelloXX\r\n0\r\n\r\n").error == .invalidChunkTerminator)
        #expect(both("5\r\nhello\rX0\r\n\r\n").error == .invalidChunkTerminator)
        #expect(both("5\r\nhello\n0\r\n\r\n").error == .bareLineFeed)
    }

    // MARK: - Trailers (RFC 9112 §7.1.2)

    @Test func trailersAreValidatedAndDiscarded() {
        let decoded = both("2\r\nok\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n")
        #expect(decoded.data == Array("ok".utf8))
        #expect(decoded.isComplete)
        #expect(decoded.leftover == 0)
        #expect(both("0\r\nX-T: a\r\n b\r\n\r\n").error == .obsoleteLineFolding)
        #expect(both("0\r\n X-T: a\r\n\r\n").error == .obsoleteLineFolding)
        #expect(both("0\r\nX T: a\r\n\r\n").error == .invalidFieldName)
        #expect(both("0\r\nX-T: a\u{0}\r\n\r\n").error == .invalidFieldValue)
        #expect(both("0\r\nX-T: a\n\r\n").error == .bareLineFeed)
    }

    @Test func trailerSectionIsLimited() {
        let counted = HTTPParserLimits(headerCount: 2)
        #expect(both("0\r\nX-1: v\r\nX-2: v\r\n\r\n", limits: counted).isComplete)
        #expect(both("0\r\nX-1: v\r\nX-2: v\r\nX-3: v\r\n\r\n", limits: counted).error == .tooManyFields)
        // "X-T: tttt\r\n" (11 bytes) plus the final CRLF: 13 bytes.
        let sized = HTTPParserLimits(headerBytes: 13)
        #expect(both("0\r\nX-T: tttt\r\n\r\n", limits: sized).isComplete)
        #expect(both("0\r\nX-T: ttttt\r\n\r\n", limits: sized).error == .headerSectionTooLarge)
    }
}

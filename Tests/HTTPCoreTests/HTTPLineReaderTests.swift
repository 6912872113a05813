import Testing

@testable import HTTPCore

/// The CRLF line reader shared by the request parser, the response parser and the chunked decoder.
@Suite struct HTTPLineReaderTests {
    /// What reading a text produced.
    struct LinesRead: Equatable {
        var lines: [String]
        var error: HTTPParseError.Code?
        var leftover: Int
    }

    /// Reads every complete line of `text` with `maxLength`, or returns the error.
    private func lines(
        _ text: String,
        maxLength: Int = 64,
        bytewise: Bool = false
    ) -> LinesRead {
        var reader = HTTPLineReader()
        var buffer = ByteBuffer()
        var result: [String] = []
        let bytes = Array(text.utf8)
        let pieces = bytewise ? bytes.map { [$0] } : [bytes]
        do {
            for piece in pieces {
                buffer.append(contentsOf: piece)
                while let line = try reader.next(from: &buffer, maxLength: maxLength, overLimit: .headerSectionTooLarge)
                {
                    result.append(String(decoding: line, as: UTF8.self))
                }
                buffer.discardReadBytes()
            }
        } catch {
            return LinesRead(lines: result, error: error.code, leftover: buffer.readableBytes)
        }
        return LinesRead(lines: result, error: nil, leftover: buffer.readableBytes)
    }

    @Test func readsLinesWithoutTheirCRLF() {
        let read = lines("first\r\n\r\nthird\r\npartial")
        #expect(read.lines == ["first", "", "third"])
        #expect(read.error == nil)
        #expect(read.leftover == "partial".utf8.count)
        #expect(lines("first\r\n\r\nthird\r\npartial", bytewise: true) == read)
    }

    @Test func returnsNilUntilTheLineFeedArrives() throws {
        var reader = HTTPLineReader()
        var buffer = ByteBuffer(stringLiteral: "abc\r")
        #expect(!reader.hasPartialLine)
        #expect(try reader.next(from: &buffer, maxLength: 8, overLimit: .headerSectionTooLarge) == nil)
        #expect(reader.hasPartialLine)
        #expect(buffer.readableBytes == 4)
        buffer.append(string: "\nrest")
        let line = try reader.next(from: &buffer, maxLength: 8, overLimit: .headerSectionTooLarge)
        #expect(line.map(Array.init) == Array("abc".utf8))
        #expect(!reader.hasPartialLine)
        #expect(buffer.readableBytes == 4)
    }

    @Test func discardingReadBytesBetweenCallsKeepsThePartialLine() throws {
        var reader = HTTPLineReader()
        var buffer = ByteBuffer(stringLiteral: "done\r\nhal")
        _ = try reader.next(from: &buffer, maxLength: 8, overLimit: .headerSectionTooLarge)
        #expect(try reader.next(from: &buffer, maxLength: 8, overLimit: .headerSectionTooLarge) == nil)
        buffer.discardReadBytes()
        buffer.append(string: "f\r\n")
        let line = try reader.next(from: &buffer, maxLength: 8, overLimit: .headerSectionTooLarge)
        #expect(line.map(Array.init) == Array("half".utf8))
    }

    @Test func lineAtTheLimitIsAcceptedAndOneByteMoreIsNot() {
        #expect(lines("12345678\r\n", maxLength: 8).lines == ["12345678"])
        #expect(lines("12345678\r\n", maxLength: 8, bytewise: true).lines == ["12345678"])
        #expect(lines("123456789\r\n", maxLength: 8).error == .headerSectionTooLarge)
        #expect(lines("123456789\r\n", maxLength: 8, bytewise: true).error == .headerSectionTooLarge)
    }

    @Test func overLongLineIsRefusedBeforeItsLineFeed() {
        // Nine bytes and a CR can never become a line of at most eight bytes.
        #expect(lines("12345678\r", maxLength: 8).error == nil)
        #expect(lines("123456789\r", maxLength: 8).error == .headerSectionTooLarge)
        #expect(lines("1234567890", maxLength: 8).error == .headerSectionTooLarge)
    }

    @Test func throwsTheCallersLimitCode() {
        var reader = HTTPLineReader()
        var buffer = ByteBuffer(stringLiteral: "too long\r\n")
        #expect(throws: HTTPParseError(.chunkLineTooLong)) {
            _ = try reader.next(from: &buffer, maxLength: 4, overLimit: .chunkLineTooLong)
        }
    }

    @Test func bareLineFeedIsRefused() {
        #expect(lines("a\nb\r\n").error == .bareLineFeed)
        #expect(lines("\n").error == .bareLineFeed)
        #expect(lines("ok\r\n\n", bytewise: true) == LinesRead(lines: ["ok"], error: .bareLineFeed, leftover: 1))
    }

    @Test func bareCarriageReturnStaysInTheLine() {
        // A CR not followed by LF is a byte of the line; field-line rules refuse it later.
        #expect(lines("a\rb\r\n").lines == ["a\rb"])
    }
}

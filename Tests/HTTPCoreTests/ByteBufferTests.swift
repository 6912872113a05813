import HTTPCore
import Testing

@Suite struct ByteBufferTests {
    @Test func appendAndRead() {
        var buffer = ByteBuffer()
        buffer.append(contentsOf: [1, 2, 3])
        buffer.append(4)
        #expect(buffer.readableBytes == 4)
        #expect(buffer.readBytes(upTo: 3) == [1, 2, 3])
        #expect(buffer.readableBytesView == [4])
        #expect(buffer.readBytes(exactly: 2) == nil)
        #expect(buffer.readableBytes == 1)
        #expect(buffer.readAll() == [4])
        #expect(buffer.isEmpty)
    }

    @Test func discardReadBytesCompacts() {
        var buffer = ByteBuffer(stringLiteral: "abcdef")
        buffer.moveReaderIndex(forwardBy: 4)
        buffer.discardReadBytes()
        #expect(buffer.readerIndex == 0)
        #expect(buffer.storage == Array("ef".utf8))
        buffer.moveReaderIndex(forwardBy: 2)
        buffer.discardReadBytes()
        #expect(buffer.storage.isEmpty)
    }

    @Test func moveReaderIndexIsClamped() {
        var buffer = ByteBuffer(stringLiteral: "abc")
        buffer.moveReaderIndex(forwardBy: 10)
        #expect(buffer.readerIndex == 3)
        buffer.moveReaderIndex(to: 1)
        #expect(buffer.readerIndex == 3)
    }

    @Test func findsCRLF() {
        var buffer = ByteBuffer(stringLiteral: "a\nb\r\nc\r\n")
        #expect(buffer.firstCRLF() == 3)
        #expect(buffer.firstCRLF(from: 5) == 6)
        buffer.moveReaderIndex(forwardBy: 5)
        #expect(buffer.firstCRLF() == 6)
        #expect(ByteBuffer(stringLiteral: "abc\r").firstCRLF() == nil)
    }

    @Test func crBeforeReaderIndexDoesNotCount() {
        var buffer = ByteBuffer(stringLiteral: "\r\n")
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(buffer.firstCRLF() == nil)
    }

    @Test func firstIndexAndByteAt() {
        let buffer = ByteBuffer(stringLiteral: "key: value")
        #expect(buffer.firstIndex(of: UInt8(ascii: ":")) == 3)
        #expect(buffer.firstIndex(of: UInt8(ascii: "z")) == nil)
        #expect(buffer.byte(at: 0) == UInt8(ascii: "k"))
        #expect(buffer.byte(at: 10) == nil)
    }

    @Test func clearKeepsNothing() {
        var buffer = ByteBuffer(stringLiteral: "xyz")
        buffer.moveReaderIndex(forwardBy: 1)
        buffer.clear()
        #expect(buffer.isEmpty)
        #expect(buffer.readerIndex == 0)
        #expect(buffer.writerIndex == 0)
    }
}

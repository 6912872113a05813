import Decompression
import Testing

@Suite struct CRC32Tests {
    @Test func knownVectors() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum([UInt8](repeating: 0, count: 32)) == 0x190A_55AD)
        #expect(CRC32.checksum([UInt8](repeating: 0xFF, count: 32)) == 0xFF6C_AB0B)
    }

    @Test func piecesGiveTheSameChecksumAsTheWhole() throws {
        let text = try Fixture.bytes("text.json")
        var crc = CRC32()
        var offset = 0
        for size in [0, 1, 7, 100, 4096] {
            crc.update(text[offset..<offset + size])
            offset += size
        }
        crc.update(Array(text[offset...]))
        #expect(crc.value == CRC32.checksum(text))
        #expect(CRC32().value == 0)
    }

    @Test func agreesWithTheGzipTrailerPythonWrote() throws {
        let gzip = try Fixture.bytes("text.gz")
        let trailer = gzip[(gzip.count - 8)...]
        let stored = trailer.prefix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(CRC32.checksum(try Fixture.bytes("text.json")) == stored)
    }
}

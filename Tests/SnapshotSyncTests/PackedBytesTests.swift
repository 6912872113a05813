import SnapshotSync
import Testing

@Suite struct PackedBytesTests {
    @Test func valuesKeepTheirBytesAcrossBlocksAndCompareByContent() {
        // 3,000 values of 1,000 bytes fill more than two 1 MiB blocks.
        let values = (0..<3_000).map { index in
            [UInt8(index >> 8), UInt8(index & 0xFF)] + (0..<998).map { UInt8(truncatingIfNeeded: index &+ $0) }
        }
        let packed = values.map(PackedBytes.init)
        #expect(packed.map(\.bytes) == values)
        #expect(packed[2_999] == PackedBytes(values[2_999]), "equal bytes in different places are equal")
        #expect(packed[0] != packed[1])
        #expect(Set(packed + packed).count == 3_000, "hashes follow the bytes")
    }

    @Test func emptyLargeAndTextValues() {
        let empty = PackedBytes([])
        #expect(empty.isEmpty && empty.bytes == [] && empty == PackedBytes([]))
        let large = [UInt8](repeating: 0xA5, count: 3 << 20)
        #expect(PackedBytes(large).bytes == large, "a value larger than a block gets one of its own")
        let text = "version: STSv1\r\nmode: enforce\r\nmx: é.example\r\n"
        #expect(PackedBytes(utf8: text).string == text)
        #expect(PackedBytes(utf8: text) == PackedBytes(Array(text.utf8)))
        #expect(PackedBytes(utf8: text) != PackedBytes(utf8: text + "x"))
    }
}

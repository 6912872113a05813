import Decompression
import Testing

/// Streams written by zlib (every level and strategy) and hand-assembled streams that zlib accepts.
@Suite struct InflateTests {
    static let textStreams =
        (0...9).map { "text-level\($0).deflate" } + [
            "text-fixed.deflate", "text-huffman-only.deflate", "text-rle.deflate", "text-filtered.deflate",
            "text-window512.deflate", "text-sync-flush.deflate", "text-mixed-blocks.deflate",
        ]

    @Test(arguments: textStreams)
    func zlibStreams(_ name: String) throws {
        let stream = try Fixture.bytes(name)
        let (output, consumed) = try Inflate.decompress(stream, limits: .reports)
        #expect(output == (try Fixture.bytes("text.json")))
        #expect(consumed == stream.count)
    }

    @Test func emptyAndOneByte() throws {
        #expect(try Inflate.decompress(Fixture.bytes("empty.deflate"), limits: .reports).output == [])
        #expect(try Inflate.decompress(Fixture.bytes("one-byte.deflate"), limits: .reports).output == [0x41])
        #expect(
            try Inflate.decompress(Fixture.bytes("small.deflate"), limits: .reports).output
                == Fixture.bytes("small.json")
        )
    }

    @Test func longestMatchAtTheFarthestDistance() throws {
        // Stored 32768 bytes, then matches (258, 32768) twice and an overlapping run (258, 1).
        let (output, consumed) = try Inflate.decompress(Fixture.bytes("far-match.deflate"), limits: .reports)
        #expect(output == (try Fixture.bytes("far-match.out")))
        #expect(consumed == (try Fixture.bytes("far-match.deflate")).count)
    }

    @Test func consumedStopsAtTheEndOfTheStream() throws {
        let stream = try Fixture.bytes("text-level6.deflate")
        let padded = [0xAA] + stream + [1, 2, 3]
        let (output, consumed) = try Inflate.decompress(padded[1...], limits: .reports)
        #expect(output == (try Fixture.bytes("text.json")))
        #expect(consumed == stream.count)
    }

    @Test func storedBlocksAcrossTheInput() throws {
        var writer = DeflateWriter()
        writer.blockHeader(final: false, type: 0)
        writer.align()
        for byte: UInt8 in [3, 0, 0xFC, 0xFF, 0x61, 0x62, 0x63] { writer.write(Int(byte), width: 8) }
        // An empty stored block, then a fixed block copying the stored bytes.
        writer.blockHeader(final: false, type: 0)
        writer.align()
        for byte: UInt8 in [0, 0, 0xFF, 0xFF] { writer.write(Int(byte), width: 8) }
        writer.blockHeader(final: true, type: 1)
        writer.fixedLiteral(258)  // length 4
        writer.fixedDistance(2)  // distance 3
        writer.fixedLiteral(256)
        #expect(try Inflate.decompress(writer.finished, limits: .reports).output == Array("abcabca".utf8))
    }

    /// A dynamic block whose literal/length code is `a`, `b`, end-of-block and length 3, two bits each.
    static func literalLengths() -> [UInt8] {
        var lengths = [UInt8](repeating: 0, count: 258)
        for symbol in [97, 98, 256, 257] { lengths[symbol] = 2 }
        return lengths
    }

    @Test func singleOneBitDistanceCodeIsAccepted() throws {
        // RFC 1951 §3.2.7 allows one distance code of one bit; zlib and puff accept it.
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        let literals = Self.literalLengths()
        writer.dynamicHeader(literalLengths: literals, distanceLengths: [1])
        writer.write(symbol: 97, lengths: literals)
        writer.write(symbol: 98, lengths: literals)
        writer.write(symbol: 257, lengths: literals)
        writer.writeCode(0, length: 1)  // distance symbol 0: distance 1
        writer.write(symbol: 256, lengths: literals)
        #expect(try Inflate.decompress(writer.finished, limits: .reports).output == Array("abbbb".utf8))
    }

    @Test func blockWithoutDistanceCodesIsAccepted() throws {
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        let literals = Self.literalLengths()
        writer.dynamicHeader(literalLengths: literals, distanceLengths: [0])
        writer.write(symbol: 98, lengths: literals)
        writer.write(symbol: 256, lengths: literals)
        #expect(try Inflate.decompress(writer.finished, limits: .reports).output == Array("b".utf8))
    }

    @Test func onlyAnEndOfBlockCode() throws {
        var lengths = [UInt8](repeating: 0, count: 257)
        lengths[256] = 1
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 2)
        writer.dynamicHeader(literalLengths: lengths, distanceLengths: [0])
        writer.writeCode(0, length: 1)
        #expect(try Inflate.decompress(writer.finished, limits: .reports).output == [])
    }

    @Test func largeGzipFixturesMatchPythonsChecksums() throws {
        for name in ["random-1mib.gz", "text-1mib.gz"] {
            let expected = try #require(try Fixture.expectedOutput(of: name))
            let output = try Gzip.decompress(Fixture.bytes(name), limits: .reports)
            #expect(output.count == expected.size, "\(name)")
            #expect(CRC32.checksum(output) == expected.crc32, "\(name)")
        }
    }

    @Test func outputLimitIsExact() throws {
        let stream = try Fixture.bytes("text-level9.deflate")
        let size = try Fixture.bytes("text.json").count
        let exact = DecompressionLimits(maximumOutputBytes: size, maximumRatio: 1000)
        #expect(try Inflate.decompress(stream, limits: exact).output.count == size)
        let oneShort = DecompressionLimits(maximumOutputBytes: size - 1, maximumRatio: 1000)
        #expect(throws: DecompressionError.outputTooLarge) { try Inflate.decompress(stream, limits: oneShort) }
    }
}

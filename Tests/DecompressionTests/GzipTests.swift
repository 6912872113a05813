import Decompression
import Testing

@Suite struct GzipTests {
    @Test(arguments: ["text.gz", "text-gnu.gz"])
    func singleMember(_ name: String) throws {
        let gzip = try Fixture.bytes(name)
        #expect(Gzip.isGzip(gzip))
        #expect(try Gzip.decompress(gzip, limits: .reports) == Fixture.bytes("text.json"))
    }

    @Test func emptyAndOneByte() throws {
        #expect(try Gzip.decompress(Fixture.bytes("empty.gz"), limits: .reports) == [])
        #expect(try Gzip.decompress(Fixture.bytes("one-byte.gz"), limits: .reports) == [0x41])
    }

    @Test func everyOptionalHeaderField() throws {
        // FTEXT, FHCRC, FEXTRA, FNAME and FCOMMENT, the header CRC-16 checked.
        let gzip = try Fixture.bytes("header-fields.gz")
        #expect(gzip[3] == 0x1F)
        #expect(try Gzip.decompress(gzip, limits: .reports) == Fixture.bytes("small.json"))
    }

    @Test func membersAreConcatenated() throws {
        let expected = try Fixture.bytes("small.json") + Fixture.bytes("text.json")
        #expect(try Gzip.decompress(Fixture.bytes("members.gz"), limits: .reports) == expected)
    }

    @Test func limitsApplyToAllMembersTogether() throws {
        let gzip = try Fixture.bytes("members.gz")
        let total = try Fixture.bytes("small.json").count + Fixture.bytes("text.json").count
        let enough = DecompressionLimits(maximumOutputBytes: total, maximumRatio: 1000)
        #expect(try Gzip.decompress(gzip, limits: enough).count == total)
        let short = DecompressionLimits(maximumOutputBytes: total - 1, maximumRatio: 1000)
        #expect(throws: DecompressionError.outputTooLarge) { try Gzip.decompress(gzip, limits: short) }
    }

    @Test func ratioIsMeasuredAgainstTheCompressedSize() throws {
        // 1 MiB of report-like text in 88958 bytes: about 11.8:1.
        let gzip = try Fixture.bytes("text-1mib.gz")
        let twelve = DecompressionLimits(maximumOutputBytes: 1 << 30, maximumRatio: 12)
        #expect(try Gzip.decompress(gzip, limits: twelve).count == 1 << 20)
        let eleven = DecompressionLimits(maximumOutputBytes: 1 << 30, maximumRatio: 11)
        #expect(throws: DecompressionError.outputTooLarge) { try Gzip.decompress(gzip, limits: eleven) }
    }

    @Test func aMemberCannotReferToThePreviousOne() throws {
        var writer = DeflateWriter()
        writer.blockHeader(final: true, type: 1)
        writer.fixedLiteral(257)
        writer.fixedDistance(2)  // three bytes from three back: in the first member's output
        writer.fixedLiteral(256)
        let second = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + writer.finished + [UInt8](repeating: 0, count: 8)
        let error = #expect(throws: DecompressionError.invalidData) {
            try Gzip.decompress(Fixture.bytes("small.gz") + second, limits: .reports)
        }
        #expect(error?.reason == "distance too far back")
    }

    @Test func trailingBytesAreRefused() throws {
        let gzip = try Fixture.bytes("small.gz")
        #expect(throws: DecompressionError.invalidData) { try Gzip.decompress(gzip + [0], limits: .reports) }
        #expect(throws: DecompressionError.invalidData) { try Gzip.decompress(gzip + [0, 0, 0, 0], limits: .reports) }
        #expect(throws: DecompressionError.truncated) { try Gzip.decompress(gzip + [0x1F], limits: .reports) }
        #expect(throws: DecompressionError.truncated) { try Gzip.decompress(gzip + gzip.prefix(10), limits: .reports) }
    }

    @Test func headerChecks() throws {
        let gzip = try Fixture.bytes("small.gz")
        #expect(throws: DecompressionError.truncated) { try Gzip.decompress([], limits: .reports) }
        #expect(throws: DecompressionError.invalidData) {
            try Gzip.decompress(Fixture.bytes("small.json"), limits: .reports)
        }
        var method = gzip
        method[2] = 7
        #expect(throws: DecompressionError.unsupported) { try Gzip.decompress(method, limits: .reports) }
        for bit in 5...7 {
            var reserved = gzip
            reserved[3] |= 1 << bit
            #expect(throws: DecompressionError.invalidData) { try Gzip.decompress(reserved, limits: .reports) }
        }
        #expect(!Gzip.isGzip([0x1F]))
        #expect(!Gzip.isGzip([0x8B, 0x1F, 8]))
        #expect(Gzip.isGzip([0x1F, 0x8B]))
    }

    @Test func checksums() throws {
        let gzip = try Fixture.bytes("small.gz")
        var crc = gzip
        crc[crc.count - 8] ^= 0x01
        #expect(throws: DecompressionError.checksumMismatch) { try Gzip.decompress(crc, limits: .reports) }
        var size = gzip
        size[size.count - 4] ^= 0x01
        #expect(throws: DecompressionError.checksumMismatch) { try Gzip.decompress(size, limits: .reports) }
        var headerCRC = try Fixture.bytes("header-fields.gz")
        headerCRC[4] ^= 0x01  // MTIME is covered by the header CRC-16
        #expect(throws: DecompressionError.checksumMismatch) { try Gzip.decompress(headerCRC, limits: .reports) }
    }
}

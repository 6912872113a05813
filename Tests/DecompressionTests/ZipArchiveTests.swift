import Decompression
import Testing

@Suite struct ZipArchiveTests {
    @Test func storedDeflatedDirectoryAndUTF8Names() throws {
        let archive = try ZipArchive(Fixture.bytes("stored-and-deflated.zip"))
        #expect(
            archive.entries.map(\.name) == [
                "reports/", "reports/stored.json", "reports/deflated.json", "empty.txt", "résumé.txt",
            ]
        )
        #expect(archive.entries.map(\.method) == [.stored, .stored, .deflated, .deflated, .stored])
        let small = try Fixture.bytes("small.json")
        let text = try Fixture.bytes("text.json")

        let stored = try #require(archive.entry(named: "reports/stored.json"))
        #expect(stored.compressedSize == small.count && stored.uncompressedSize == small.count)
        #expect(stored.crc32 == CRC32.checksum(small) && !stored.isEncrypted)
        #expect(try archive.contents(of: stored, limits: .reports) == small)

        let deflated = try #require(archive.entry(named: "reports/deflated.json"))
        #expect(deflated.uncompressedSize == text.count && deflated.compressedSize < text.count / 4)
        #expect(try archive.contents(of: deflated, limits: .reports) == text)

        #expect(try archive.contents(of: archive.entries[0], limits: .reports) == [])
        #expect(try archive.contents(of: archive.entries[3], limits: .reports) == [])
        #expect(try archive.contents(of: archive.entries[4], limits: .reports) == Array("café\n".utf8))
        #expect(archive.entry(named: "missing") == nil)
    }

    @Test func dataDescriptorsWrittenToANonSeekableStream() throws {
        let archive = try ZipArchive(Fixture.bytes("data-descriptor.zip"))
        #expect(archive.entries.map(\.name) == ["a.json", "b.json"])
        #expect(try archive.contents(of: archive.entries[0], limits: .reports) == Fixture.bytes("text.json"))
        #expect(try archive.contents(of: archive.entries[1], limits: .reports) == Fixture.bytes("small.json"))
    }

    @Test func infoZIP() throws {
        let archive = try ZipArchive(Fixture.bytes("infozip.zip"))
        let entry = try #require(archive.entry(named: "report.json"))
        #expect(entry.method == .deflated)
        #expect(try archive.contents(of: entry, limits: .reports) == Fixture.bytes("text.json"))
    }

    @Test func refusedArchives() throws {
        let zip64 = #expect(throws: DecompressionError.unsupported) { try ZipArchive(Fixture.bytes("zip64.zip")) }
        #expect(zip64?.reason == "ZIP64 archive")
        let many = try Fixture.bytes("65-entries.zip")
        #expect(throws: DecompressionError.unsupported) { try ZipArchive(many) }
        #expect(try ZipArchive(many, maximumEntryCount: 65).entries.count == 65)
        #expect(throws: DecompressionError.invalidData) { try ZipArchive(Fixture.bytes("small.json")) }
        #expect(throws: DecompressionError.invalidData) { try ZipArchive([]) }
        #expect(throws: DecompressionError.invalidData) { try ZipArchive(Fixture.bytes("small.zip") + [0x0A]) }
    }

    @Test func otherMethodsAndEncryptionAreRefusedPerEntry() throws {
        let lzma = try ZipArchive(Fixture.bytes("lzma.zip"))
        #expect(lzma.entries[0].method == ZipArchive.Entry.Method(rawValue: 14))
        #expect(lzma.entries[0].method.description == "method 14")
        #expect(throws: DecompressionError.unsupported) { try lzma.contents(of: lzma.entries[0], limits: .reports) }

        var bytes = try Fixture.bytes("small.zip")
        let central = try #require(Self.centralHeaderOffset(bytes))
        bytes[central + 8] |= 0x01
        bytes[8] |= 0x01  // the local header's flags too
        let encrypted = try ZipArchive(bytes)
        #expect(encrypted.entries[0].isEncrypted)
        #expect(throws: DecompressionError.unsupported) {
            try encrypted.contents(of: encrypted.entries[0], limits: .reports)
        }
    }

    @Test func checksumsAndLocalHeaders() throws {
        let original = try Fixture.bytes("small.zip")
        let central = try #require(Self.centralHeaderOffset(original))
        var bothCRCs = original
        bothCRCs[central + 16] ^= 0x01
        bothCRCs[14] ^= 0x01
        var archive = try ZipArchive(bothCRCs)
        #expect(throws: DecompressionError.checksumMismatch) {
            try archive.contents(of: archive.entries[0], limits: .reports)
        }

        var centralOnly = original
        centralOnly[central + 16] ^= 0x01
        archive = try ZipArchive(centralOnly)
        #expect(throws: DecompressionError.invalidData) {
            try archive.contents(of: archive.entries[0], limits: .reports)
        }

        var localName = original
        localName[30] ^= 0x20
        archive = try ZipArchive(localName)
        #expect(throws: DecompressionError.invalidData) {
            try archive.contents(of: archive.entries[0], limits: .reports)
        }
    }

    @Test func namesMustBeUTF8() throws {
        var bytes = try Fixture.bytes("small.zip")
        let central = try #require(Self.centralHeaderOffset(bytes))
        bytes[central + 46] = 0xFF
        let error = #expect(throws: DecompressionError.invalidData) { try ZipArchive(bytes) }
        #expect(error?.reason == "ZIP entry name is not UTF-8")
    }

    @Test func limitsApplyPerEntry() throws {
        let archive = try ZipArchive(Fixture.bytes("data-descriptor.zip"))
        let textSize = archive.entries[0].uncompressedSize
        let limits = DecompressionLimits(maximumOutputBytes: textSize - 1, maximumRatio: 1000)
        #expect(throws: DecompressionError.outputTooLarge) {
            try archive.contents(of: archive.entries[0], limits: limits)
        }
        #expect(try archive.contents(of: archive.entries[1], limits: limits).count == 1200)
    }

    @Test func overlappingEntriesAreRefused() throws {
        // The "overlapping files" bomb: entry a's stored data quotes entry b's local header and data.
        let b = Self.localHeader("b", Array("xyz".utf8)) + Array("xyz".utf8)
        let a = Self.localHeader("a", b) + b
        let directory = Self.centralHeader("a", b, offset: 0) + Self.centralHeader("b", Array("xyz".utf8), offset: 31)
        let overlapping = a + directory + Self.endRecord(count: 2, size: directory.count, offset: a.count)
        let error = #expect(throws: DecompressionError.invalidData) { try ZipArchive(overlapping) }
        #expect(error?.reason == "overlapping ZIP entries")

        // The same entries side by side read fine.
        let c = Self.localHeader("c", Array("xyz".utf8)) + Array("xyz".utf8)
        let apart = Self.centralHeader("a", b, offset: 0) + Self.centralHeader("c", Array("xyz".utf8), offset: a.count)
        let archive = try ZipArchive(
            a + c + apart + Self.endRecord(count: 2, size: apart.count, offset: a.count + c.count)
        )
        #expect(try archive.contents(of: archive.entries[0], limits: .reports) == b)
        #expect(try archive.contents(of: archive.entries[1], limits: .reports) == Array("xyz".utf8))
    }

    private static func littleEndian(_ value: Int, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    /// A local header (APPNOTE §4.3.7) of a stored entry.
    private static func localHeader(_ name: String, _ data: [UInt8]) -> [UInt8] {
        [0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0] + littleEndian(Int(CRC32.checksum(data)), 4)
            + littleEndian(data.count, 4) + littleEndian(data.count, 4) + littleEndian(name.utf8.count, 2) + [0, 0]
            + Array(name.utf8)
    }

    /// A central directory header (APPNOTE §4.3.12) of a stored entry.
    private static func centralHeader(_ name: String, _ data: [UInt8], offset: Int) -> [UInt8] {
        [0x50, 0x4B, 0x01, 0x02, 20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0] + littleEndian(Int(CRC32.checksum(data)), 4)
            + littleEndian(data.count, 4) + littleEndian(data.count, 4) + littleEndian(name.utf8.count, 2)
            + [UInt8](repeating: 0, count: 12) + littleEndian(offset, 4) + Array(name.utf8)
    }

    /// An end of central directory record (APPNOTE §4.3.16) without a comment.
    private static func endRecord(count: Int, size: Int, offset: Int) -> [UInt8] {
        [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0] + littleEndian(count, 2) + littleEndian(count, 2) + littleEndian(size, 4)
            + littleEndian(offset, 4) + [0, 0]
    }

    /// Where the first central directory header starts.
    static func centralHeaderOffset(_ bytes: [UInt8]) -> Int? {
        (0..<bytes.count - 4).first { bytes[$0..<$0 + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) }
    }
}

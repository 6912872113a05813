import Decompression
import Glibc
import Testing

/// Input from untrusted senders: bombs, cut-off files, flipped bits, noise. Nothing may crash, loop, allocate
/// past the limit or return wrong data without an error.
@Suite(.serialized) struct HostileInputTests {
    /// The peak resident set size of this process so far, in bytes.
    private static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    @Test func gzipBombIsRefusedAtTheLimit() throws {
        // 100 MiB of zeros in 101941 bytes (about 1029:1).
        let bomb = try Fixture.bytes("bomb.gz")
        #expect(try Fixture.expectedOutput(of: "bomb.gz")?.size == 100 << 20)
        let peakBefore = Self.peakResidentBytes()
        let started = ContinuousClock.now
        let error = #expect(throws: DecompressionError.outputTooLarge) { try Gzip.decompress(bomb, limits: .reports) }
        #expect(error?.reason == "decompressed size exceeds 16777216 bytes")
        // About 5 s in a debug build on a loaded machine; decompressing all 100 MiB takes six times as long.
        #expect(ContinuousClock.now - started < .seconds(60))
        // Output stops at 16 MiB (32 MiB while the last growth copies). Writing all 100 MiB would raise the peak
        // by at least 100 MiB; the margin is for other tests running in this process meanwhile.
        #expect(Self.peakResidentBytes() - peakBefore < 96 << 20)

        let tight = DecompressionLimits(maximumOutputBytes: 1 << 20, maximumRatio: 1000)
        #expect(throws: DecompressionError.outputTooLarge) { try Gzip.decompress(bomb, limits: tight) }
        // A slice of 990 bytes may expand to 200 × 990 bytes, not 16 MiB.
        let slice = #expect(throws: DecompressionError.outputTooLarge) {
            try Inflate.decompress(bomb[10..<1000], limits: .reports)
        }
        #expect(slice?.reason == "decompressed size exceeds 198000 bytes")
    }

    @Test(arguments: ["small.gz", "header-fields.gz", "empty.gz", "one-byte.gz"])
    func everyPrefixOfAGzipFileIsTruncated(_ name: String) throws {
        let gzip = try Fixture.bytes(name)
        for length in 0..<gzip.count {
            #expect(throws: DecompressionError.truncated, "prefix of \(length) bytes") {
                try Gzip.decompress(Array(gzip[..<length]), limits: .reports)
            }
        }
    }

    @Test(arguments: ["small.deflate", "far-match.deflate", "text-mixed-blocks.deflate", "one-byte.deflate"])
    func everyPrefixOfADeflateStreamIsTruncated(_ name: String) throws {
        let stream = try Fixture.bytes(name)
        // The far-match stream starts with a 32 KiB stored block: step through it, then byte by byte.
        let lengths =
            Array(stride(from: 0, to: min(stream.count, 32_700), by: 97))
            + Array(max(0, stream.count - 600)..<stream.count)
        for length in lengths {
            #expect(throws: DecompressionError.truncated, "prefix of \(length) bytes") {
                try Inflate.decompress(stream[..<length], limits: .reports)
            }
        }
    }

    @Test func everyPrefixOfAZipArchiveIsRefused() throws {
        let zip = try Fixture.bytes("small.zip")
        for length in 0..<zip.count {
            #expect(throws: DecompressionError.self, "prefix of \(length) bytes") {
                let archive = try ZipArchive(Array(zip[..<length]))
                for entry in archive.entries { _ = try archive.contents(of: entry, limits: .reports) }
            }
        }
    }

    @Test func everySingleBitFlipIsCaughtOrHarmless() throws {
        let gzip = try Fixture.bytes("small.gz")
        let expected = try Fixture.bytes("small.json")
        for index in 0..<gzip.count {
            for bit in 0..<8 {
                var flipped = gzip
                flipped[index] ^= 1 << bit
                guard let output = try? Gzip.decompress(flipped, limits: .reports) else { continue }
                // Only FTEXT (a hint), MTIME, XFL, OS and the padding after the last block may change.
                #expect(output == expected, "byte \(index) bit \(bit)")
                let isPadding = index == gzip.count - 9 && gzip[index] >> bit == 0
                #expect((index == 3 && bit == 0) || (4...9).contains(index) || isPadding, "byte \(index) bit \(bit)")
            }
        }
    }

    @Test func everySingleBitFlipInAZipEntryIsCaught() throws {
        let zip = try Fixture.bytes("small.zip")
        let expected = try Fixture.bytes("small.json")
        for index in 0..<zip.count {
            for bit in 0..<8 {
                var flipped = zip
                flipped[index] ^= 1 << bit
                guard let archive = try? ZipArchive(flipped), let entry = archive.entries.first,
                    let output = try? archive.contents(of: entry, limits: .reports)
                else { continue }
                // Unchecked fields (versions, times, attributes) may change; the contents may not.
                #expect(output == expected, "byte \(index) bit \(bit)")
            }
        }
    }

    @Test func randomNoise() {
        var generator = SeededGenerator(seed: 8460)
        let limits = DecompressionLimits(maximumOutputBytes: 1 << 20, maximumRatio: 1000)
        for round in 0..<3000 {
            let noise = generator.bytes(Int.random(in: 0...600, using: &generator))
            // Raw DEFLATE has no checksum: noise may happen to be a valid stream, but never a wrong-sized one.
            if let (output, consumed) = try? Inflate.decompress(noise, limits: limits) {
                #expect(consumed <= noise.count && output.count <= limits.outputLimit(forInputBytes: noise.count))
            }
            #expect(throws: DecompressionError.self, "round \(round)") { try Gzip.decompress(noise, limits: limits) }
            let disguised = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + noise
            #expect(throws: DecompressionError.self, "round \(round)") {
                try Gzip.decompress(disguised, limits: limits)
            }
            #expect(throws: DecompressionError.self, "round \(round)") { try ZipArchive(noise) }
        }
    }
}

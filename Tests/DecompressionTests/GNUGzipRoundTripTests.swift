import Decompression
import Foundation
import Testing

/// Whatever GNU gzip (`/bin/gzip`, in every Debian install) writes, at its fastest and strongest levels.
@Suite struct GNUGzipRoundTripTests {
    private static func gnuGzip(_ input: [UInt8], level: Int) throws -> [UInt8] {
        let gzipPath = "/bin/gzip"
        guard FileManager.default.isExecutableFile(atPath: gzipPath) else {
            Issue.record("\(gzipPath) is missing: apt-get install gzip")
            return []
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("decompression-\(UUID().uuidString)")
        try Data(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzipPath)
        process.arguments = ["-c", "-\(level)", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return [UInt8](output)
    }

    @Test(arguments: [1, 6, 9])
    func roundTrip(level: Int) throws {
        var generator = SeededGenerator(seed: UInt64(level))
        let text = try Fixture.bytes("text.json")
        let inputs: [[UInt8]] = [
            [], [0], text, generator.bytes(70_000), [UInt8](repeating: 0x61, count: 300_000),
            (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251 ^ $0 >> 9) },
        ]
        for input in inputs {
            let gzip = try Self.gnuGzip(input, level: level)
            // 300000 times `a` compresses about 1000:1, past the report limits' ratio.
            let limits = DecompressionLimits(maximumOutputBytes: 1 << 20, maximumRatio: 2000)
            #expect(try Gzip.decompress(gzip, limits: limits) == input, "\(input.count) bytes at level \(level)")
        }
    }
}

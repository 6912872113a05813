import Foundation

/// The files written by `Fixtures/make-fixtures.py`.
enum Fixture {
    /// The bytes of `Fixtures/<name>`.
    static func bytes(_ name: String, filePath: String = #filePath) throws -> [UInt8] {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .appendingPathComponent(name)
        return [UInt8](try Data(contentsOf: url))
    }

    /// The size and CRC-32 of a large fixture's output, from `Fixtures/manifest.txt` (computed by Python's zlib).
    static func expectedOutput(of name: String) throws -> (size: Int, crc32: UInt32)? {
        let manifest = String(decoding: try bytes("manifest.txt"), as: UTF8.self)
        for line in manifest.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 3, fields[0] == name, let size = Int(fields[1]), let crc = UInt32(fields[2], radix: 16) {
                return (size, crc)
            }
        }
        return nil
    }
}

/// A seeded generator (SplitMix64), so the random inputs of a failing test can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

import Foundation

/// Fixture files in `Tests/ACMETests/Fixtures/`.
enum Fixtures {
    /// The bytes of a fixture file.
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        return Array(try Data(contentsOf: url))
    }
}

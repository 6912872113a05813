import Foundation
import SnapshotSync
import TestSupport
import Testing

/// The snapshot file's binary format against `TestSnapshot`: round trip, layout, and every way a file can be
/// torn, altered or of another format, each refused with a ``SnapshotFileError`` (never a crash).
@Suite struct SnapshotFileTests {
    /// The same records as `TestSnapshot` under another kind.
    struct OtherSnapshot: SnapshotFileCodable {
        static let snapshotFileKind = "other"
        let snapshot: TestSnapshot

        func encode(to file: SnapshotFileEncoder) throws { try snapshot.encode(to: file) }

        init(_ snapshot: TestSnapshot) { self.snapshot = snapshot }

        init(from file: SnapshotFileDecoder) throws { snapshot = try TestSnapshot(from: file) }
    }

    private let saved = TestSnapshot(hosts: ["mta-sts.a.test": "version: STSv1\n", "mta-sts.b.test": "é"], sequence: 7)

    private func written(in directory: TemporaryDirectory) throws -> (SnapshotFile<TestSnapshot>, [UInt8]) {
        let file = SnapshotFile<TestSnapshot>(path: directory.path("snapshot"))
        try file.write(saved)
        let bytes = try #require(FileManager.default.contents(atPath: file.path))
        return (file, Array(bytes))
    }

    private func replace(_ file: SnapshotFile<TestSnapshot>, with bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: file.path))
    }

    @Test func roundTripsWithTheMagicVersionAndKindUpFront() throws {
        let directory = try TemporaryDirectory(prefix: "snapshot-file")
        let (file, bytes) = try written(in: directory)
        #expect(try file.read() == saved)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x4D, 0x54, 0x53, 0x4E, 0x41, 0x50, 0x0A])
        #expect(Array(bytes[8..<10]) == [2, 0])
        #expect(Array(bytes[10..<15]) == [4] + Array("test".utf8))
        // Header record: length 16, then sequence 7 and a count of 2.
        #expect(Array(bytes[15..<19]) == [16, 0, 0, 0] && bytes[19] == 7 && bytes[27] == 2)
        let rewritten = TestSnapshot(hosts: ["mta-sts.c.test": "third"], sequence: 9)
        try file.write(rewritten)
        #expect(try file.read() == rewritten)
    }

    @Test func aMissingFileReadsAsNoSnapshot() throws {
        let directory = try TemporaryDirectory(prefix: "snapshot-file")
        #expect(try SnapshotFile<TestSnapshot>(path: directory.path("absent")).read() == nil)
    }

    @Test func everyTruncationIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "snapshot-file")
        let (file, bytes) = try written(in: directory)
        for length in 0..<bytes.count {
            try replace(file, with: Array(bytes.prefix(length)))
            #expect(throws: SnapshotFileError.self, "cut at \(length)") { try file.read() }
        }
        try replace(file, with: Array(bytes.prefix(bytes.count - 4)))
        #expect(throws: SnapshotFileError.truncated) { try file.read() }
    }

    @Test func everyCorruptedByteIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "snapshot-file")
        let (file, bytes) = try written(in: directory)
        for index in bytes.indices {
            for flip: UInt8 in [0x01, 0x80] {
                var corrupted = bytes
                corrupted[index] ^= flip
                try replace(file, with: corrupted)
                #expect(throws: SnapshotFileError.self, "byte \(index) ^ \(flip)") { try file.read() }
            }
        }
        var flipped = bytes
        flipped[bytes.count - 10] ^= 0x01  // inside the last host's text: only the checksum notices
        try replace(file, with: flipped)
        #expect(throws: SnapshotFileError.corrupt) { try file.read() }
    }

    @Test func bytesAfterTheChecksumAreRefused() throws {
        let directory = try TemporaryDirectory(prefix: "snapshot-file")
        let (file, bytes) = try written(in: directory)
        try replace(file, with: bytes + [0])
        #expect(throws: SnapshotFileError.corrupt) { try file.read() }
    }

    @Test func anEarlierReleasesJSONFileIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "snapshot-file")
        let (file, _) = try written(in: directory)
        try replace(file, with: Array(#"{"hosts":{"mta-sts.a.test":"saved"},"sequence":7,"builtAt":1}"#.utf8))
        #expect(throws: SnapshotFileError.notASnapshot) { try file.read() }
    }

    @Test func anotherKindOrVersionIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "snapshot-file")
        let (file, bytes) = try written(in: directory)
        let other = SnapshotFile<OtherSnapshot>(path: directory.path("other"))
        try other.write(OtherSnapshot(saved))
        #expect(try other.read()?.snapshot == saved)
        #expect(throws: SnapshotFileError.unsupported) { try SnapshotFile<TestSnapshot>(path: other.path).read() }
        // Version 1 (an edge's chain as PEM) and a later version are both refused.
        var version1 = bytes
        version1[8] = 1
        try replace(file, with: version1)
        #expect(throws: SnapshotFileError.unsupported) { try file.read() }
        var version3 = bytes
        version3[8] = 3
        try replace(file, with: version3)
        #expect(throws: SnapshotFileError.unsupported) { try file.read() }
    }
}

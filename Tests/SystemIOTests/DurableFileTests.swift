import Foundation
import Glibc
import SystemIO
import Testing

@Suite struct DurableFileTests {
    @Test func writesReplacesAndCreatesDirectories() throws {
        let root = NSTemporaryDirectory() + "durable-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/a/b/file"
        try DurableFile.write(Array("first".utf8), to: path)
        try DurableFile.write(Data("second".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("second".utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // Only the target remains: the temp file was renamed over it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/a/b") == ["file"])
        #expect(DurableFile.directory(of: path) == root + "/a/b")
        #expect(DurableFile.directory(of: "file") == ".")
    }

    @Test func aFailedWriteLeavesNoTempFileAndNamesTheCall() throws {
        let root = NSTemporaryDirectory() + "durable-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DurableFile.createDirectory(root + "/target")
        // Renaming a file over a directory fails with EISDIR.
        #expect {
            try DurableFile.write(Array("x".utf8), to: root + "/target")
        } throws: { error in
            (error as? SystemError)?.function == "rename"
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["target"])
    }

    @Test func streamsThroughTheBufferAndReadsBackInChunks() throws {
        let root = NSTemporaryDirectory() + "durable-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/streamed"
        // Pieces smaller and larger than the 64 KiB buffer, in order.
        let pieces = [[UInt8](repeating: 1, count: 10), [UInt8](repeating: 2, count: 70_000), [3, 4, 5]]
        try DurableFile.write(to: path) { writer in
            for piece in pieces { try writer.write(piece) }
        }
        let reader = try BufferedFileReader(path: path, capacity: 4096)
        #expect(try reader.read(upTo: 10) == pieces[0])
        #expect(try reader.read(upTo: 70_000) == pieces[1])
        #expect(try !reader.isAtEnd())
        #expect(try reader.read(upTo: 100) == pieces[2])
        #expect(try reader.isAtEnd())
    }

    @Test func aThrowingBodyKeepsThePreviousFile() throws {
        let root = NSTemporaryDirectory() + "durable-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/file"
        try DurableFile.write(Array("kept".utf8), to: path)
        #expect(throws: SystemError.self) {
            try DurableFile.write(to: path) { writer in
                try writer.write(Array("half".utf8))
                throw SystemError(errno: EIO, function: "test")
            }
        }
        #expect(FileManager.default.contents(atPath: path) == Data("kept".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["file"])
    }
}

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
}

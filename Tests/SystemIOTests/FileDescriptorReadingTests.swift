import Foundation
import Glibc
import Testing

@testable import SystemIO

@Suite struct FileDescriptorReadingTests {
    /// Writes `bytes` to a new file in the temporary directory and returns its path.
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("systemio-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    @Test func readsAWholeFileAcrossChunks() throws {
        let bytes = (0..<10_000).map { UInt8($0 % 251) }
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try FileDescriptor.openForReading(path)
        #expect(fcntl(file.rawValue, F_GETFD) & FD_CLOEXEC != 0)
        #expect(try file.readToEnd(maximumCount: 10_000) == bytes)
        #expect(try FileDescriptor.openForReading(path).readToEnd(maximumCount: 20_000) == bytes)
    }

    @Test func refusesAFileLongerThanTheLimit() throws {
        let path = try temporaryFile([UInt8](repeating: 1, count: 5_000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: SystemError.self) {
            try FileDescriptor.openForReading(path).readToEnd(maximumCount: 4_999)
        }
        #expect(error == SystemError(errno: EFBIG, function: "read"))
    }

    @Test func missingFileFailsToOpen() {
        let error = #expect(throws: SystemError.self) {
            try FileDescriptor.openForReading("/nonexistent/systemio-test")
        }
        #expect(error == SystemError(errno: ENOENT, function: "open"))
    }
}

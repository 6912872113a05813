import Glibc
import Testing

@testable import SystemIO

@Suite struct FileDescriptorTests {
    private func makePipe() throws -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [CInt] = [0, 0]
        #expect(pipe(&fds) == 0)
        try Posix.setNonBlocking(fds[0], true)
        try Posix.setNonBlocking(fds[1], true)
        return (FileDescriptor(rawValue: fds[0]), FileDescriptor(rawValue: fds[1]))
    }

    @Test func closesExactlyOnce() throws {
        let (reader, writer) = try makePipe()
        try writer.close()
        #expect(writer.isClosed)
        try writer.close()  // second close is a no-op, not EBADF
        #expect(fcntl(writer.rawValue, F_GETFD) == -1 || writer.rawValue == reader.rawValue)
        try reader.close()
    }

    @Test func deinitClosesDescriptor() throws {
        var raw: CInt = -1
        do {
            let (reader, writer) = try makePipe()
            raw = writer.rawValue
            try reader.close()
        }
        #expect(fcntl(raw, F_GETFD) == -1)
        #expect(errno == EBADF)
    }

    @Test func syscallMapsEAGAINToWouldBlock() throws {
        let (reader, writer) = try makePipe()
        var buffer = [UInt8](repeating: 0, count: 8)
        let empty = try buffer.withUnsafeMutableBytes { try Posix.read(reader.rawValue, into: $0) }
        #expect(empty == .wouldBlock)
        _ = try [UInt8]([1, 2, 3]).withUnsafeBytes { try Posix.write(writer.rawValue, from: $0) }
        let full = try buffer.withUnsafeMutableBytes { try Posix.read(reader.rawValue, into: $0) }
        #expect(full == .processed(3))
    }

    @Test func syscallThrowsSystemErrorWithFunctionName() throws {
        var buffer = [UInt8](repeating: 0, count: 8)
        let error = #expect(throws: SystemError.self) {
            _ = try buffer.withUnsafeMutableBytes { try Posix.read(-1, into: $0) }
        }
        #expect(error == SystemError(errno: EBADF, function: "read"))
        #expect(error?.description == "read failed: Bad file descriptor (errno 9)")
    }

    @Test func timerfdExpiresAtAbsoluteDeadline() throws {
        let timer = FileDescriptor(rawValue: try Linux.timerfdCreate())
        let deadline = Deadline.after(.milliseconds(20))
        try Linux.timerfdArm(timer.rawValue, deadline: deadline)
        let revents = try Posix.poll(timer.rawValue, events: Int16(POLLIN), timeoutMilliseconds: 5_000)
        #expect(revents & Int16(POLLIN) != 0)
        #expect(Deadline.now() >= deadline)
        var expirations: UInt64 = 0
        let result = try withUnsafeMutableBytes(of: &expirations) { try Posix.read(timer.rawValue, into: $0) }
        #expect(result == .processed(8))
        #expect(expirations == 1)
    }
}

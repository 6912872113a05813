import Glibc
import Testing

@testable import SystemIO

/// The deadline-driven client calls of `Socket+Readiness.swift` on loopback.
@Suite struct SocketDeadlineTests {
    private func accept(_ server: ServerSocket) throws -> Socket? {
        let listening = Socket(descriptor: server.descriptor)
        guard try listening.waitUntilReady(for: .readable, until: .after(.seconds(5))) else { return nil }
        return try server.accept().value
    }

    @Test func connectWriteAndReadStayNonBlocking() throws {
        let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let deadline = Deadline.after(.seconds(5))
        let client = try Socket.connect(to: server.localAddress, until: deadline)
        #expect(fcntl(client.fileDescriptor, F_GETFL) & O_NONBLOCK != 0)
        let accepted = try #require(try accept(server))
        try client.writeAll(Array("query".utf8), until: deadline)
        #expect(try accepted.read(maximumCount: 5, until: deadline) == Array("query".utf8))
        try accepted.writeAll(Array("answer".utf8), until: deadline)
        #expect(try client.read(maximumCount: 3, until: deadline) == Array("ans".utf8))
        #expect(try client.read(maximumCount: 64, until: deadline) == Array("wer".utf8))
        try accepted.shutdownWrite()
        #expect(try client.read(maximumCount: 64, until: deadline) == [])
    }

    @Test func readTimesOutAtTheDeadline() throws {
        let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let client = try Socket.connect(to: server.localAddress, until: .after(.seconds(5)))
        let start = Deadline.now()
        let error = #expect(throws: SystemError.self) {
            try client.read(maximumCount: 64, until: start + .milliseconds(50))
        }
        #expect(error == SystemError(errno: ETIMEDOUT, function: "read"))
        #expect(error?.isTimeout == true)
        #expect(Deadline.now() - start >= .milliseconds(45))
    }

    @Test func writeAllTimesOutWhenThePeerNeverReads() throws {
        let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let client = try Socket.connect(to: server.localAddress, until: .after(.seconds(5)))
        let accepted = try #require(try accept(server))
        // Far more than the loopback send and receive buffers can hold together.
        let bytes = [UInt8](repeating: 0x61, count: 64 << 20)
        let error = #expect(throws: SystemError.self) {
            try client.writeAll(bytes, until: .after(.milliseconds(100)))
        }
        #expect(error == SystemError(errno: ETIMEDOUT, function: "send"))
        #expect(!accepted.descriptor.isClosed)  // the peer stayed open (and unread) throughout
    }

    @Test func connectToClosedPortIsRefused() throws {
        // The listener is closed again as soon as this expression ends.
        let closed = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0")).localAddress
        let error = #expect(throws: SystemError.self) {
            try Socket.connect(to: closed, until: .after(.seconds(5)))
        }
        #expect(error?.errno == ECONNREFUSED)
        #expect(error?.isTimeout == false)
    }

    @Test func connectTimesOutWhileTheAcceptQueueIsFull() throws {
        // With the accept queue full, Linux drops further SYNs, so those connects stay in progress.
        let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"), backlog: 0)
        var connected: [Socket] = []
        var timeout: SystemError?
        for _ in 0..<8 where timeout == nil {
            do {
                connected.append(try Socket.connect(to: server.localAddress, until: .after(.milliseconds(100))))
            } catch let error as SystemError {
                timeout = error
            }
        }
        #expect(timeout == SystemError(errno: ETIMEDOUT, function: "connect"))
        #expect(!connected.isEmpty)
    }
}

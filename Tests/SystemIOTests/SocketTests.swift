import Glibc
import Testing

@testable import SystemIO

@Suite struct SocketTests {
    @Test func serverReportsKernelChosenPortAndAcceptsNonBlocking() throws {
        let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"), backlog: 16)
        #expect(server.localAddress.port != 0)
        #expect(server.localAddress.ipAddress == "127.0.0.1")
        #expect(try server.accept().value == nil)  // nothing pending: wouldBlock, not a hang
        let client = try Socket.connect(to: server.localAddress, timeout: .seconds(5))
        let accepted = try #require(try waitForAccept(server))
        #expect(fcntl(accepted.fileDescriptor, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(accepted.fileDescriptor, F_GETFD) & FD_CLOEXEC != 0)
        #expect(try accepted.peerAddress() == client.localAddress())
        #expect(try client.peerAddress() == server.localAddress)
        #expect(try accepted.read(maximumCount: 8) == .wouldBlock)
    }

    @Test func acceptReportsThePeerAddressItself() throws {
        for listen in ["127.0.0.1:0", "[::1]:0"] {
            let server = try ServerSocket(bindingTo: try SocketAddress(parsing: listen))
            #expect(try server.acceptWithPeerAddress().value == nil)
            let client = try Socket.connect(to: server.localAddress, timeout: .seconds(5))
            var accepted: (socket: Socket, peer: SocketAddress)?
            let deadline = Deadline.after(.seconds(5))
            while accepted == nil && Deadline.now() < deadline {
                _ = try server.descriptor.waitUntilReady(for: .readable, until: deadline)
                accepted = try server.acceptWithPeerAddress().value
            }
            let connection = try #require(accepted)
            #expect(connection.peer == (try client.localAddress()))
            #expect(try connection.socket.peerAddress() == connection.peer)
            #expect(fcntl(connection.socket.fileDescriptor, F_GETFL) & O_NONBLOCK != 0)
        }
    }

    @Test func writevGathersBuffersAndNoDelayToggles() throws {
        let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let client = try Socket.connect(to: server.localAddress, timeout: .seconds(5))
        let accepted = try #require(try waitForAccept(server))
        try accepted.setNoDelay(true)
        #expect(try accepted.isNoDelay())
        try accepted.setNoDelay(false)
        #expect(try !accepted.isNoDelay())
        let parts: [[UInt8]] = [Array("HTTP/1.1 200 OK\r\n".utf8), Array("\r\n".utf8), Array("body".utf8)]
        let written = try parts[0].withUnsafeBytes { a in
            try parts[1].withUnsafeBytes { b in try parts[2].withUnsafeBytes { c in try accepted.writev([a, b, c]) } }
        }
        #expect(written == .processed(23))
        #expect(try client.read(maximumCount: 64) == .processed(Array("HTTP/1.1 200 OK\r\n\r\nbody".utf8)))
    }

    @Test func connectToClosedPortIsRefused() throws {
        // The listener is closed again as soon as this expression ends.
        let port = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0")).localAddress
        let error = #expect(throws: SystemError.self) { try Socket.connect(to: port, timeout: .seconds(5)) }
        #expect(error?.errno == ECONNREFUSED)
    }

    @Test func bindConflictAndReusePort() throws {
        let first = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let error = #expect(throws: SystemError.self) { try ServerSocket(bindingTo: first.localAddress) }
        #expect(error == SystemError(errno: EADDRINUSE, function: "bind"))
        let shared = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"), reusePort: true)
        let second = try ServerSocket(bindingTo: shared.localAddress, reusePort: true)
        #expect(second.localAddress == shared.localAddress)
    }

    @Test func ipv6LoopbackWhenAvailable() throws {
        guard let server = try? ServerSocket(bindingTo: try SocketAddress(parsing: "[::1]:0")) else {
            Issue.record("IPv6 loopback (::1) is not configured on this host")
            return
        }
        #expect(server.localAddress.family == .ipv6)
        #expect(server.localAddress.description == "[::1]:\(server.localAddress.port)")
        let client = try Socket.connect(to: server.localAddress, timeout: .seconds(5))
        #expect(try client.peerAddress() == server.localAddress)
    }

    private func waitForAccept(_ server: ServerSocket) throws -> Socket? {
        _ = try Posix.poll(server.fileDescriptor, events: Int16(POLLIN), timeoutMilliseconds: 5_000)
        return try server.accept().value
    }
}

import Glibc
import Testing

@testable import SystemIO

@Suite struct DatagramSocketTests {
    private let ping = Array("ping".utf8)
    private let pong = Array("pong".utf8)

    /// Waits (with a deadline, no sleeping) for the next datagram on `socket`.
    private func receive(_ socket: DatagramSocket, maximumCount: Int = 64) throws -> DatagramSocket.Datagram? {
        guard try socket.waitUntilReady(for: .readable, until: .after(.seconds(5))) else { return nil }
        return try socket.receive(maximumCount: maximumCount).value
    }

    @Test func connectedClientExchangesWithAnUnconnectedServer() throws {
        let server = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let serverAddress = try server.localAddress()
        #expect(serverAddress.port != 0)
        let client = try DatagramSocket(family: .ipv4)
        #expect(fcntl(client.fileDescriptor, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(client.fileDescriptor, F_GETFD) & FD_CLOEXEC != 0)
        try client.connect(to: serverAddress)
        #expect(try client.peerAddress() == serverAddress)
        #expect(try client.localAddress().port != 0)  // connecting picked an ephemeral source port
        #expect(try client.receive(maximumCount: 64) == .wouldBlock)

        #expect(try client.send(ping) == .processed(4))
        let query = try #require(try receive(server))
        #expect(query == DatagramSocket.Datagram(bytes: ping, peer: try client.localAddress()))
        #expect(try server.send(pong, to: query.peer) == .processed(4))
        #expect(try receive(client) == DatagramSocket.Datagram(bytes: pong, peer: serverAddress))
        #expect(try client.receive(maximumCount: 64) == .wouldBlock)
    }

    @Test func connectedSocketDropsDatagramsFromAnyOtherAddress() throws {
        let server = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let stranger = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let client = try DatagramSocket(family: .ipv4)
        try client.connect(to: try server.localAddress())
        #expect(try client.send(ping) == .processed(4))
        let query = try #require(try receive(server))

        // Same host, other port: the kernel filters it out for a connected socket.
        #expect(try stranger.send(Array("forged".utf8), to: query.peer) == .processed(6))
        #expect(try server.send(pong, to: query.peer) == .processed(4))
        #expect(try receive(client) == DatagramSocket.Datagram(bytes: pong, peer: try server.localAddress()))
        #expect(try client.receive(maximumCount: 64) == .wouldBlock)
    }

    @Test func unconnectedSocketReportsEachSender() throws {
        let server = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let first = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let second = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        _ = try first.send(Array("one".utf8), to: try server.localAddress())
        _ = try second.send(Array("two".utf8), to: try server.localAddress())
        #expect(
            try receive(server) == DatagramSocket.Datagram(bytes: Array("one".utf8), peer: try first.localAddress())
        )
        #expect(
            try receive(server) == DatagramSocket.Datagram(bytes: Array("two".utf8), peer: try second.localAddress())
        )
        let error = #expect(throws: SystemError.self) { try first.peerAddress() }
        #expect(error?.errno == ENOTCONN)
    }

    @Test func longDatagramIsCutAndItsRestDiscarded() throws {
        let server = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let client = try DatagramSocket(family: .ipv4)
        try client.connect(to: try server.localAddress())
        let payload = (0..<100).map { UInt8($0) }
        #expect(try client.send(payload) == .processed(100))
        #expect(try receive(server, maximumCount: 10)?.bytes == Array(payload.prefix(10)))
        #expect(try server.receive(maximumCount: 100) == .wouldBlock)
    }

    @Test func closedPortIsRefusedOnTheNextReceive() throws {
        // The bound socket is closed again as soon as this expression ends, leaving its port closed.
        let closed = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0")).localAddress()
        let client = try DatagramSocket(family: .ipv4)
        try client.connect(to: closed)
        #expect(try client.send(ping) == .processed(4))
        #expect(try client.waitUntilReady(for: .readable, until: .after(.seconds(5))))
        let error = #expect(throws: SystemError.self) { try client.receive(maximumCount: 64) }
        #expect(error == SystemError(errno: ECONNREFUSED, function: "recvfrom"))
    }

    @Test func waitUntilReadyEndsAtTheDeadline() throws {
        let socket = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let start = Deadline.now()
        #expect(try !socket.waitUntilReady(for: .readable, until: start + .milliseconds(50)))
        #expect(Deadline.now() - start >= .milliseconds(45))
        #expect(try socket.waitUntilReady(for: .writable, until: .after(.seconds(5))))

        _ = try socket.send(ping, to: try socket.localAddress())
        #expect(try socket.waitUntilReady(for: .readable, until: .after(.seconds(5))))
        // Readable, but a deadline that has passed ends the wait without polling.
        #expect(try !socket.waitUntilReady(for: .readable, until: start))
        #expect(try socket.receive(maximumCount: 64).value?.bytes == ping)
    }

    @Test func ipv6LoopbackWhenAvailable() throws {
        guard let server = try? DatagramSocket(bindingTo: try SocketAddress(parsing: "[::1]:0")) else {
            Issue.record("IPv6 loopback (::1) is not configured on this host")
            return
        }
        let serverAddress = try server.localAddress()
        #expect(serverAddress.family == .ipv6)
        let client = try DatagramSocket(family: .ipv6)
        try client.connect(to: serverAddress)
        #expect(try client.send(ping) == .processed(4))
        let query = try #require(try receive(server))
        #expect(query.peer == (try client.localAddress()))
        _ = try server.send(pong, to: query.peer)
        #expect(try receive(client) == DatagramSocket.Datagram(bytes: pong, peer: serverAddress))
    }

    @Test func receiveIntoReusesTheCallersBuffer() throws {
        let server = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let client = try DatagramSocket(family: .ipv4)
        try client.connect(to: try server.localAddress())
        var buffer = [UInt8](repeating: 0xEE, count: 8)
        #expect(try buffer.withUnsafeMutableBytes { try server.receive(into: $0) }.value == nil)

        #expect(try client.send(Array("0123456789".utf8)) == .processed(10))
        #expect(try server.waitUntilReady(for: .readable, until: .after(.seconds(5))))
        let received = try buffer.withUnsafeMutableBytes { try server.receive(into: $0) }.value
        #expect(received?.count == 8)
        #expect(received?.peer == (try client.localAddress()))
        #expect(buffer == Array("01234567".utf8))
    }

    @Test func reusePortLetsTwoSocketsShareAnAddress() throws {
        let first = try DatagramSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"), reusePort: true)
        let address = try first.localAddress()
        let second = try DatagramSocket(bindingTo: address, reusePort: true)
        #expect(try second.localAddress() == address)
        let error = #expect(throws: SystemError.self) { try DatagramSocket(bindingTo: address) }
        #expect(error?.errno == EADDRINUSE)
    }
}

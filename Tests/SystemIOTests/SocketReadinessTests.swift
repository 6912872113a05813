import Glibc
import Testing

@testable import SystemIO

@Suite struct SocketReadinessTests {
    @Test func waitUntilReadyReportsReadableAndTimesOut() throws {
        let server = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        let client = try Socket.connect(to: server.localAddress, timeout: .seconds(5))
        try client.setNonBlocking(true)
        #expect(fcntl(client.fileDescriptor, F_GETFL) & O_NONBLOCK != 0)
        #expect(try client.read(maximumCount: 4) == .wouldBlock)
        #expect(try client.waitUntilReady(for: .writable, timeout: .seconds(1)))
        let start = Deadline.now()
        #expect(try !client.waitUntilReady(for: .readable, timeout: .milliseconds(50)))
        #expect(Deadline.now() - start >= .milliseconds(45))

        let listening = Socket(descriptor: server.descriptor)
        #expect(try listening.waitUntilReady(for: .readable, timeout: .seconds(1)))
        let accepted = try #require(try server.accept().value)
        try accepted.writeAll(Array("ping".utf8))
        #expect(try client.waitUntilReady(for: .readable, timeout: .seconds(1)))
        #expect(try client.read(maximumCount: 4) == .processed(Array("ping".utf8)))
        try client.setNonBlocking(false)
        #expect(fcntl(client.fileDescriptor, F_GETFL) & O_NONBLOCK == 0)
    }

    @Test func resolveNumericAndLocalhost() throws {
        #expect(SocketAddress.resolve(hostName: "127.0.0.1", port: 80) == [try SocketAddress(parsing: "127.0.0.1:80")])
        #expect(SocketAddress.resolve(hostName: "::1", port: 443) == [try SocketAddress(parsing: "[::1]:443")])
        let localhost = SocketAddress.resolve(hostName: "localhost", port: 8080)
        #expect(localhost.contains(try SocketAddress(parsing: "127.0.0.1:8080")))
        #expect(localhost.allSatisfy { $0.port == 8080 })
        #expect(Set(localhost).count == localhost.count)
        #expect(SocketAddress.resolve(hostName: "no-such-host.invalid", port: 80).isEmpty)
    }
}

import Dispatch
import HTTPCore
import SystemIO
import TestSupport
import Testing

@testable import WebServer

@Suite struct ConnectionsPerAddressTests {
    static func prefix(_ text: String) throws -> ClientAddress {
        try #require(ClientAddress(text)).limitPrefix
    }

    @Test func countsUpToTheLimitAndReleases() throws {
        let table = ConnectionsPerAddress<ClientAddress>(limit: 3)
        let one = try Self.prefix("192.0.2.1")
        let two = try Self.prefix("192.0.2.2")
        #expect((0..<3).allSatisfy { _ in table.acquire(one) })
        #expect(!table.acquire(one))
        #expect(table.count(for: one) == 3)
        #expect(table.acquire(two))
        table.release(one)
        #expect(table.acquire(one))
        for _ in 0..<3 { table.release(one) }
        table.release(two)
        #expect(table.count(for: one) == 0 && table.count(for: two) == 0)
        // Releasing what is not counted changes nothing.
        table.release(one)
        #expect(table.count(for: one) == 0)
    }

    @Test func oneIPv6SlashSixtyFourIsOneClient() throws {
        let table = ConnectionsPerAddress<ClientAddress>(limit: 2)
        #expect(table.acquire(try Self.prefix("2001:db8:1:2::1")))
        #expect(table.acquire(try Self.prefix("2001:db8:1:2::2")))
        #expect(!table.acquire(try Self.prefix("2001:db8:1:2:ffff::9")))
        #expect(table.acquire(try Self.prefix("2001:db8:1:3::1")))
        #expect(table.count(for: try Self.prefix("2001:db8:1:2::77")) == 2)
    }

    @Test func loopsCountingAtOnceNeverExceedTheLimit() throws {
        let table = ConnectionsPerAddress<ClientAddress>(limit: 50)
        let prefixes = try (0..<200).map { try Self.prefix("198.51.100.\($0)") }
        // Eight threads acquire and release the same prefixes concurrently, as a server's loops would.
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for round in 0..<200 {
                for prefix in prefixes where table.acquire(prefix) {
                    if table.count(for: prefix) > 50 { Issue.record("over the limit in round \(round)") }
                    table.release(prefix)
                }
            }
        }
        #expect(prefixes.allSatisfy { table.count(for: $0) == 0 })
    }

    @Test func aClosingConnectionGivesItsSlotBack() throws {
        let address = ClientAddress(ipv4: 0xC000_0201)
        let harness = try HTTPServerConnectionTests().makeHarness(
            peer: ConnectionPeer(text: "192.0.2.1", address: address, holdsAddressSlot: true),
            maxConnectionsPerAddress: 1
        )
        let table = try #require(harness.shared.connectionsPerAddress)
        #expect(table.count(for: address) == 1)
        #expect(!table.acquire(address))
        harness.transport.reads = [.bytes("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")]
        harness.connection.readable()
        #expect(harness.isClosed)
        #expect(table.count(for: address) == 0)
    }

    // MARK: - Live

    @Test func theSixtyFifthConnectionFromOneAddressIsRefusedWhileAnotherAddressStillConnects() throws {
        let server = try RunningServer(
            configuration: HTTPServerConfiguration(
                address: try SocketAddress(parsing: "127.0.0.1:0"),
                maxConnections: 1000,
                maxConnectionsPerAddress: 64
            )
        )
        defer { server.stop() }
        let address = try server.address
        let metrics = server.server.metrics
        var held = try (0..<64).map { _ in try RawClient.connect(address, from: "127.0.0.1") }
        try Poll.until(deadline: 10, interval: .milliseconds(10), "64 connections open") {
            metrics.currentConnections == 64
        }
        let refused = try RawClient.connect(address, from: "127.0.0.1")
        let (text, closed) = refused.receive()
        #expect(closed && text.isEmpty)
        #expect(metrics.totalRejectedPerAddress == 1)
        #expect(metrics.totalRejected == 1)
        let other = try RawClient.connect(address, from: "127.0.0.2")
        try other.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(other.receive().text.hasPrefix("HTTP/1.1 200 "))
        // The held connections still work, and one that closes gives its slot back.
        try held[63].send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(held[63].receive { $0.contains("sni=-") }.text.hasPrefix("HTTP/1.1 200 "))
        try held.removeFirst().socket.close()
        try Poll.until(deadline: 10, interval: .milliseconds(10), "a slot released") {
            metrics.currentConnections == 63
        }
        let again = try RawClient.connect(address, from: "127.0.0.1")
        try again.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(again.receive().text.hasPrefix("HTTP/1.1 200 "))
        #expect(metrics.totalRejectedPerAddress == 1)
    }
}

import Foundation
import HTTPCore
import SystemIO
import TestSupport
import Testing

@testable import WebServer

/// `HTTPRequest.clientAddress` behind a trusted reverse proxy: through the connection shell, and live.
@Suite struct TrustedProxyTests {
    static let proxies = TrustedProxies([CIDRBlock("10.0.0.0/8"), CIDRBlock("127.0.0.1")].compactMap { $0 })

    static func peer(_ text: String, trusted: Bool) throws -> ConnectionPeer {
        ConnectionPeer(text: text, address: try #require(ClientAddress(text)), isTrustedProxy: trusted)
    }

    // MARK: - Through the connection shell

    @Test func aTrustedProxysForwardingHeadersNameTheClient() throws {
        let harness = try HTTPServerConnectionTests().makeHarness(
            peer: try Self.peer("10.0.0.2", trusted: true),
            trustedProxies: Self.proxies
        )
        harness.transport.reads = [
            .bytes(
                "GET /a HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n\r\n"
                    + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /c HTTP/1.1\r\nHost: a\r\nForwarded: for=\"[2001:DB8::7]:4711\"\r\nConnection: close\r\n\r\n"
            )
        ]
        harness.connection.readable()
        let addresses = harness.responder.addresses
        #expect(addresses.map(\.remote) == ["10.0.0.2", "10.0.0.2", "10.0.0.2"])
        #expect(addresses.map(\.client) == ["203.0.113.7", "10.0.0.2", "2001:db8::7"])
        #expect(harness.accessLog.entries.map(\.clientAddress) == ["203.0.113.7", "10.0.0.2", "2001:db8::7"])
        #expect(harness.isClosed)
    }

    @Test func theServersOwnErrorsAreLoggedWithThePeer() throws {
        let harness = try HTTPServerConnectionTests().makeHarness(
            peer: try Self.peer("10.0.0.2", trusted: true),
            trustedProxies: Self.proxies
        )
        harness.transport.reads = [
            .bytes("GET /a HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.7\r\n\r\nGET / HTTP/1.1\nHost: a\n\n")
        ]
        harness.connection.readable()
        #expect(harness.accessLog.entries.map(\.status) == [200, 400])
        #expect(harness.accessLog.entries.map(\.clientAddress) == ["203.0.113.7", "10.0.0.2"])
    }

    @Test func aDirectClientsForwardingHeadersAreIgnored() throws {
        let harness = try HTTPServerConnectionTests().makeHarness(
            peer: try Self.peer("203.0.113.9", trusted: false),
            trustedProxies: Self.proxies
        )
        harness.transport.reads = [
            .bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\nForwarded: for=10.0.0.1\r\n\r\n")
        ]
        harness.connection.readable()
        #expect(harness.responder.addresses.map(\.client) == ["203.0.113.9"])
    }

    // MARK: - Live

    @Test func clientAddressesThroughTheServer() throws {
        let server = try RunningServer(
            configuration: HTTPServerConfiguration(
                address: try SocketAddress(parsing: "127.0.0.1:0"),
                maxConnectionsPerAddress: 2,
                trustedProxies: Self.proxies
            )
        )
        defer { server.stop() }
        let address = try server.address
        func ask(from source: String, _ headers: String) throws -> String {
            let client = try RawClient.connect(address, from: source)
            try client.send("GET /client HTTP/1.1\r\nHost: a\r\n\(headers)Connection: close\r\n\r\n")
            let text = client.receive().text
            guard let body = text.range(of: "\r\n\r\n") else { return text }
            return String(text[body.upperBound...])
        }
        // 127.0.0.1 is a trusted proxy: its headers name the client.
        #expect(
            try ask(from: "127.0.0.1", "X-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n")
                == "remote=127.0.0.1 client=203.0.113.7;"
        )
        #expect(
            try ask(from: "127.0.0.1", "Forwarded: for=\"[2001:db8:cafe::17]:4711\"\r\n")
                == "remote=127.0.0.1 client=2001:db8:cafe::17;"
        )
        #expect(
            try ask(from: "127.0.0.1", "Forwarded: for=[2001:db8:cafe::17]\r\n") == "remote=127.0.0.1 client=127.0.0.1;"
        )
        #expect(try ask(from: "127.0.0.1", "") == "remote=127.0.0.1 client=127.0.0.1;")
        // 127.0.0.2 is not: its headers are ignored.
        #expect(try ask(from: "127.0.0.2", "X-Forwarded-For: 203.0.113.7\r\n") == "remote=127.0.0.2 client=127.0.0.2;")
    }

    @Test func aTrustedProxyIsNotCappedPerAddress() throws {
        let server = try RunningServer(
            configuration: HTTPServerConfiguration(
                address: try SocketAddress(parsing: "127.0.0.1:0"),
                maxConnectionsPerAddress: 2,
                trustedProxies: Self.proxies
            )
        )
        defer { server.stop() }
        let address = try server.address
        let proxied = try (0..<3).map { _ in try RawClient.connect(address, from: "127.0.0.1") }
        let direct = try (0..<2).map { _ in try RawClient.connect(address, from: "127.0.0.2") }
        // Accepted in any order across the loops: wait for all five before the one over the cap.
        try Poll.until(deadline: 10, interval: .milliseconds(10), "five connections open") {
            server.server.metrics.currentConnections == 5
        }
        let third = try RawClient.connect(address, from: "127.0.0.2")
        for client in proxied + direct {
            try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.receive { $0.contains("sni=-") }.text.hasPrefix("HTTP/1.1 200 "))
        }
        let (text, closed) = third.receive()
        #expect(closed && text.isEmpty)
        #expect(server.server.metrics.totalRejectedPerAddress == 1)
    }
}

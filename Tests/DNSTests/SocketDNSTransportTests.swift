import TestSupport
import Testing

@testable import DNS

/// The real socket transport against small fake servers on loopback.
@Suite struct SocketDNSTransportTests {
    private func answer(_ query: DNSMessage, id: UInt16? = nil, last: UInt8) -> [UInt8] {
        let record = DNSResourceRecord(name: query.questions[0].name, ttl: 1, data: .a(IPv4Address(10, 0, 0, last)))
        return reply(to: query, id: id, answers: [record])
    }

    @Test func wrongIDThenRightIDOverRealUDP() throws {
        let server = try FakeUDPServer { query in
            [self.answer(query, id: query.id &+ 1, last: 66), [1, 2, 3], self.answer(query, last: 1)]
        }
        defer { server.stop() }
        let client = DNSClient(resolvers: [server.address], timeout: .seconds(2), attempts: 1)
        let result = client.query(try DNSName("spoof.test"), type: .a)
        guard case .answer(let records, _) = result else {
            Issue.record("expected answer, got \(result)")
            return
        }
        #expect(records.map(\.data) == [.a(IPv4Address(10, 0, 0, 1))])
        #expect(server.queryCount == 1)
    }

    @Test func replyFromAnotherPortOfTheServerIsIgnored() throws {
        let server = try FakeUDPServer(
            respondFromOtherPort: { query in [self.answer(query, last: 66)] },
            respond: { query in [self.answer(query, last: 1)] }
        )
        defer { server.stop() }
        let client = DNSClient(resolvers: [server.address], timeout: .seconds(2), attempts: 1)
        let result = client.query(try DNSName("port.test"), type: .a)
        guard case .answer(let records, _) = result else {
            Issue.record("expected answer, got \(result)")
            return
        }
        #expect(records.map(\.data) == [.a(IPv4Address(10, 0, 0, 1))])
    }

    @Test func onlyRepliesFromAnotherPortTimeOut() throws {
        let server = try FakeUDPServer(
            respondFromOtherPort: { query in [self.answer(query, last: 66)] },
            respond: { _ in [] }
        )
        defer { server.stop() }
        let client = DNSClient(resolvers: [server.address], timeout: .milliseconds(300), attempts: 1)
        #expect(client.query(try DNSName("port.test"), type: .a) == .timeout)
        #expect(server.queryCount == 1)
    }

    @Test func onlySpoofedRepliesTimeOut() throws {
        let server = try FakeUDPServer { query in [self.answer(query, id: query.id ^ 0x5555, last: 66)] }
        defer { server.stop() }
        let client = DNSClient(resolvers: [server.address], timeout: .milliseconds(300), attempts: 1)
        #expect(client.query(try DNSName("spoof.test"), type: .a) == .timeout)
    }

    @Test func silentServerTimesOutAfterEveryAttempt() throws {
        let server = try FakeUDPServer { _ in [] }
        defer { server.stop() }
        let client = DNSClient(resolvers: [server.address], timeout: .milliseconds(200), attempts: 2)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(client.query(try DNSName("quiet.test"), type: .a) == .timeout)
        let elapsed = clock.now - started
        #expect(elapsed >= .milliseconds(400))
        #expect(elapsed < .seconds(3))
        try Poll.until(deadline: 2, "both attempts seen") { server.queryCount == 2 }
    }

    @Test func closedPortIsANetworkErrorNotATimeout() throws {
        let port = try FreePort.allocate(udp: true, tcp: false)
        let client = DNSClient(
            resolvers: [DNSServerAddress(host: .v4(IPv4Address(127, 0, 0, 1)), port: port)],
            timeout: .seconds(2),
            attempts: 1
        )
        let result = client.query(try DNSName("nobody.test"), type: .a)
        guard case .networkError(let message) = result else {
            Issue.record("expected networkError, got \(result)")
            return
        }
        #expect(message.lowercased().contains("refused"))
    }

    @Test func worksOverIPv6Loopback() throws {
        let server: FakeUDPServer
        do {
            server = try FakeUDPServer(ipv6: true) { query in [self.answer(query, last: 6)] }
        } catch {
            Issue.record("IPv6 loopback unavailable here: \(error)")
            return
        }
        defer { server.stop() }
        #expect(server.address.description.hasPrefix("[::1]:"))
        let client = DNSClient(resolvers: [server.address], timeout: .seconds(2), attempts: 1)
        #expect(try client.addresses("v6.test").contains(.v4(IPv4Address(10, 0, 0, 6))))
    }

    @Test func tcpToClosedPortFails() throws {
        let port = try FreePort.allocate(udp: false, tcp: true)
        let result = SocketDNSTransport().exchangeTCP(
            [0, 0],
            with: DNSServerAddress(host: .v4(IPv4Address(127, 0, 0, 1)), port: port),
            timeout: .seconds(2)
        )
        guard case .failure(let message) = result else {
            Issue.record("expected failure, got \(result)")
            return
        }
        #expect(message.lowercased().contains("refused"))
    }
}

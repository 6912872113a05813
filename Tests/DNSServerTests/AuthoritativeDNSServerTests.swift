import DNS
import Glibc
import Logging
import Synchronization
import SystemIO
import TestSupport
import Testing

@testable import DNSServer

/// The real servers on loopback (free ports) through our own ``DNSClient`` and raw sockets: UDP and TCP, the
/// TCP fallback after TC, pipelining, the connection cap, the timeouts, rate limiting, content swaps, shutdown.
@Suite struct AuthoritativeDNSServerTests {
    private func query(
        _ name: String,
        _ type: DNSRecordType,
        id: UInt16 = 0x4242,
        udpPayloadSize: UInt16? = 1232
    ) throws -> [UInt8] {
        DNSMessage.query(
            id: id,
            name: try DNSName(name),
            type: type,
            recursionDesired: false,
            udpPayloadSize: udpPayloadSize
        )
        .encoded()
    }

    private func txt(_ result: DNSLookupResult) -> [String] {
        guard case .answer(let records, _) = result else { return [] }
        return records.compactMap { record in
            guard case .txt(let txt) = record.data else { return nil }
            return txt.joinedText
        }
    }

    @Test func answersOverUDPAndTCP() throws {
        let live = try LiveServer()
        defer { live.stop() }
        let client = try live.client()
        #expect(txt(client.query(try DNSName("abc123._mta-sts.\(TestZone.apex)"), type: .txt)) == [TestZone.stsRecord])
        #expect(
            txt(client.query(try DNSName("ABC123._smtp._tls.\(TestZone.apex)"), type: .txt)) == [TestZone.tlsrptRecord]
        )
        #expect(client.query(try DNSName("missing._mta-sts.\(TestZone.apex)"), type: .txt) == .nxdomain(cnameChain: []))
        #expect(client.query(try DNSName("_mta-sts.\(TestZone.apex)"), type: .txt) == .noData(cnameChain: []))
        #expect(client.query(try DNSName("example.com"), type: .a) == .serverFailure(.refused))

        let socket = try RawDNS.connect(to: live.address)
        defer { try? socket.close() }
        try RawDNS.send([try query("abc123._mta-sts.\(TestZone.apex)", .txt)], on: socket)
        let response = try DNSMessage(decoding: try #require(try RawDNS.receive(on: socket)))
        #expect(response.header.isAuthoritativeAnswer && !response.header.isRecursionAvailable)
        #expect(response.answers.count == 1)

        let udp = try DNSMessage(
            decoding: try #require(try RawDNS.udp(try query(TestZone.apex, .soa), to: live.address))
        )
        #expect(udp.header.isAuthoritativeAnswer && !udp.header.isRecursionAvailable && !udp.header.isRecursionDesired)
        #expect(udp.answers.map(\.type) == [.soa])
    }

    @Test func truncatedUDPAnswerIsFetchedAgainOverTCP() throws {
        let live = try LiveServer()
        defer { live.stop() }
        let name = "big._smtp._tls.\(TestZone.apex)"
        let udp = try DNSMessage(
            decoding: try #require(try RawDNS.udp(try query(name, .txt, udpPayloadSize: nil), to: live.address))
        )
        #expect(udp.header.isTruncated && udp.answers.isEmpty && udp.questions.count == 1)
        let transport = CountingTransport()
        let client = try live.client(udpPayloadSize: 512, transport: transport)
        #expect(txt(client.query(try DNSName(name), type: .txt)) == [TestZone.bigTLSRPTRecord])
        #expect(transport.tcpExchanges == 1)
        // With EDNS 1232 it fits in one datagram.
        let fits = try DNSMessage(decoding: try #require(try RawDNS.udp(try query(name, .txt), to: live.address)))
        #expect(!fits.header.isTruncated && fits.answers.count == 1)
        try Poll.until(deadline: 5, "truncation counted") { live.server.metrics.snapshot.truncated == 2 }
    }

    @Test func pipelinedTCPQueriesAreAnsweredInOrder() throws {
        let live = try LiveServer()
        defer { live.stop() }
        let socket = try RawDNS.connect(to: live.address)
        defer { try? socket.close() }
        let names = ["abc123._mta-sts", "missing._mta-sts", "abc123._smtp._tls", "_tls"]
        try RawDNS.send(
            try names.enumerated().map { try query("\($1).\(TestZone.apex)", .txt, id: UInt16(100 + $0)) },
            on: socket
        )
        var ids: [UInt16] = []
        var codes: [DNSResponseCode] = []
        for _ in names {
            let response = try DNSMessage(decoding: try #require(try RawDNS.receive(on: socket)))
            ids.append(response.id)
            codes.append(response.header.rcode)
        }
        #expect(ids == [100, 101, 102, 103])
        #expect(codes == [.noError, .nameError, .noError, .noError])
        // The connection stays open for more.
        try RawDNS.send([try query(TestZone.apex, .ns, id: 104)], on: socket)
        #expect(try DNSMessage(decoding: try #require(try RawDNS.receive(on: socket))).id == 104)
    }

    @Test func aClientThatHalfClosesStillGetsItsAnswers() throws {
        let live = try LiveServer()
        defer { live.stop() }
        let socket = try RawDNS.connect(to: live.address)
        defer { try? socket.close() }
        try RawDNS.send([try query(TestZone.apex, .soa, id: 1), try query(TestZone.apex, .ns, id: 2)], on: socket)
        try socket.shutdownWrite()
        #expect(try RawDNS.receive(on: socket).map { try DNSMessage(decoding: $0).id } == 1)
        #expect(try RawDNS.receive(on: socket).map { try DNSMessage(decoding: $0).id } == 2)
        #expect(try RawDNS.waitForClose(of: socket))
        try Poll.until(deadline: 5, "peer close counted") {
            live.server.metrics.prometheusText().contains("reason=\"peer_closed\"} 1")
        }
    }

    @Test func servesIPv4AndIPv6TogetherWhenIPv6IsAvailable() throws {
        guard RawDNS.isIPv6LoopbackAvailable else {
            // The IPv4 path is covered everywhere else; this host has no ::1 (recorded, not silently skipped).
            Issue.record("IPv6 loopback (::1) is not configured on this host")
            return
        }
        let live = try LiveServer(addresses: ["127.0.0.1:0", "[::1]:0"])
        defer { live.stop() }
        let addresses = live.server.localAddresses
        #expect(addresses.map(\.family) == [.ipv4, .ipv6])
        for address in addresses {
            let client = try live.client(address)
            #expect(
                txt(client.query(try DNSName("abc123._mta-sts.\(TestZone.apex)"), type: .txt)) == [TestZone.stsRecord]
            )
            let socket = try RawDNS.connect(to: address)
            try RawDNS.send([try query(TestZone.apex, .soa)], on: socket)
            #expect(try RawDNS.receive(on: socket) != nil)
            try? socket.close()
        }
    }

    @Test func severalLoopsShareOneAddress() throws {
        let live = try LiveServer(loops: 2)
        defer { live.stop() }
        for index in 0..<20 {
            let reply = try RawDNS.udp(try query(TestZone.apex, .soa, id: UInt16(index)), to: live.address)
            #expect(try reply.map { try DNSMessage(decoding: $0).id } == UInt16(index))
        }
        let sockets = try (0..<4).map { _ in try RawDNS.connect(to: live.address) }
        for (index, socket) in sockets.enumerated() {
            try RawDNS.send([try query(TestZone.apex, .ns, id: UInt16(index))], on: socket)
            #expect(try RawDNS.receive(on: socket).map { try DNSMessage(decoding: $0).id } == UInt16(index))
            try? socket.close()
        }
    }

    @Test func connectionsOverTheCapAreClosedAtOnce() throws {
        let live = try LiveServer(maximumTCPConnections: 2)
        defer { live.stop() }
        var open = try (0..<2).map { _ in try RawDNS.connect(to: live.address) }
        for socket in open {
            try RawDNS.send([try query(TestZone.apex, .soa)], on: socket)
            #expect(try RawDNS.receive(on: socket) != nil)
        }
        let third = try RawDNS.connect(to: live.address)
        #expect(try RawDNS.waitForClose(of: third))
        try? third.close()
        try Poll.until(deadline: 5, "refusal counted") { live.server.metrics.snapshot.tcpRefused == 1 }
        #expect(live.server.metrics.openTCPConnections == 2)

        try? open.removeFirst().close()
        try Poll.until(deadline: 5, "closed connection released") { live.server.metrics.openTCPConnections == 1 }
        let again = try RawDNS.connect(to: live.address)
        defer { try? again.close() }
        try RawDNS.send([try query(TestZone.apex, .soa)], on: again)
        #expect(try RawDNS.receive(on: again) != nil)
        for socket in open { try? socket.close() }
    }

    @Test func idleConnectionsAreClosedAfterTheIdleTimeout() throws {
        let live = try LiveServer(tcpLimits: DNSTCPConnectionLimits(idleTimeout: .milliseconds(300)))
        defer { live.stop() }
        let socket = try RawDNS.connect(to: live.address)
        defer { try? socket.close() }
        let started = Deadline.now()
        try RawDNS.send([try query(TestZone.apex, .soa)], on: socket)
        #expect(try RawDNS.receive(on: socket) != nil)
        #expect(try RawDNS.waitForClose(of: socket))
        #expect(Deadline.now() - started >= .milliseconds(250))
        try Poll.until(deadline: 5, "idle close counted") {
            live.server.metrics.prometheusText().contains(
                "mtasts_dns_tcp_connections_closed_total{reason=\"idle_timeout\"} 1"
            )
        }
    }

    @Test func aSlowlorisClientIsClosedAtTheMessageDeadline() throws {
        let live = try LiveServer(
            tcpLimits: DNSTCPConnectionLimits(idleTimeout: .seconds(30), messageTimeout: .milliseconds(300))
        )
        defer { live.stop() }
        let socket = try RawDNS.connect(to: live.address)
        defer { try? socket.close() }
        let started = Deadline.now()
        // A length prefix and a few bytes of a 40-byte query, and then nothing more.
        try socket.writeAll([0x00, 0x28, 0x12, 0x34], until: .after(.seconds(3)))
        #expect(try RawDNS.waitForClose(of: socket, timeout: .seconds(10)))
        let elapsed = Deadline.now() - started
        #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(10))
        try Poll.until(deadline: 5, "message timeout counted") {
            live.server.metrics.prometheusText().contains("reason=\"message_timeout\"} 1")
        }
    }

    @Test func aResponseSentAsAQueryClosesTheTCPConnection() throws {
        let live = try LiveServer()
        defer { live.stop() }
        let socket = try RawDNS.connect(to: live.address)
        defer { try? socket.close() }
        var response = try query(TestZone.apex, .soa)
        response[2] |= 0x80
        try RawDNS.send([response], on: socket)
        #expect(try RawDNS.waitForClose(of: socket))
        try Poll.until(deadline: 5, "unanswered counted") { live.server.metrics.snapshot.unansweredResponses == 1 }
    }

    @Test func rateLimitingDropsAndSlipsPerPrefix() throws {
        let live = try LiveServer(rateLimit: .init(responsesPerSecond: 5, slip: 2))
        defer { live.stop() }
        let socket = try DatagramSocket(family: .ipv4)
        defer { try? socket.close() }
        try socket.connect(to: live.address)
        for index in 0..<20 {
            _ = try socket.send(try query("abc123._mta-sts.\(TestZone.apex)", .txt, id: UInt16(index)))
        }
        // The clock is frozen: 5 answers, then of 15 limited ones every second slips (7), the rest drop (8).
        try Poll.until(deadline: 5, "20 queries handled") {
            live.server.metrics.snapshot.queries[0].reduce(0, +) == 20
        }
        var full = 0
        var slipped = 0
        while try socket.waitUntilReady(for: .readable, until: .after(.milliseconds(200))),
            case .processed(let datagram) = try socket.receive(maximumCount: 65535)
        {
            let message = try DNSMessage(decoding: datagram.bytes)
            if message.header.isTruncated {
                #expect(message.answers.isEmpty && message.questions.count == 1)
                slipped += 1
            } else {
                #expect(message.answers.count == 1)
                full += 1
            }
        }
        #expect(full == 5)
        #expect(slipped == 7)
        let text = live.server.metrics.prometheusText()
        #expect(text.contains("mtasts_dns_rate_limited_total{action=\"dropped\"} 8"))
        #expect(text.contains("mtasts_dns_rate_limited_total{action=\"slipped\"} 7"))
        #expect(text.contains("mtasts_dns_truncated_responses_total 0"))

        // TCP is never limited.
        let tcp = try RawDNS.connect(to: live.address)
        defer { try? tcp.close() }
        try RawDNS.send((0..<10).map { _ in try query(TestZone.apex, .soa) }, on: tcp)
        for _ in 0..<10 {
            #expect(try RawDNS.receive(on: tcp) != nil)
        }
        // A second later the prefix may have five more.
        live.clock.advance(by: 1_000_000_000)
        #expect(
            try RawDNS.udp(try query(TestZone.apex, .soa), to: live.address).map {
                try DNSMessage(decoding: $0).answers.count
            } == 1
        )
    }

    @Test func contentCanBeSwappedWhileServing() throws {
        let live = try LiveServer(loops: 2)
        defer { live.stop() }
        let client = try live.client()
        let name = try DNSName("new1._mta-sts.\(TestZone.apex)")
        #expect(client.query(name, type: .txt) == .nxdomain(cnameChain: []))
        var content = TestZone.content
        content.sts["new1"] = "v=STSv1; id=new1"
        content.serial += 1
        live.server.updateContent(content)
        #expect((live.server.content as? FixedZoneContent)?.serial == TestZone.serial + 1)
        try Poll.until(deadline: 5, "the new record is served on every loop") {
            // Fresh sockets spread over both loops' SO_REUSEPORT sockets.
            (0..<6).allSatisfy { _ in self.txt(client.query(name, type: .txt)) == ["v=STSv1; id=new1"] }
        }
    }

    @Test func shutdownStopsListeningAndClosesConnections() throws {
        let live = try LiveServer()
        let address = live.address
        let socket = try RawDNS.connect(to: address)
        defer { try? socket.close() }
        try RawDNS.send([try query(TestZone.apex, .soa)], on: socket)
        #expect(try RawDNS.receive(on: socket) != nil)
        live.server.shutdown(gracePeriod: .seconds(2))
        #expect(try RawDNS.waitForClose(of: socket))
        #expect(live.server.localAddresses.isEmpty)
        #expect(live.server.metrics.openTCPConnections == 0)
        #expect(throws: SystemError.self) { try Socket.connect(to: address, until: .after(.seconds(2))) }
        #expect(try RawDNS.udp(try query(TestZone.apex, .soa), to: address, timeout: .milliseconds(300)) == nil)
        try? live.group.shutdownGracefully()
    }

    @Test func bindFailuresAreReportedAndLeaveNothingBound() throws {
        let live = try LiveServer()
        defer { live.stop() }
        let group = try EventLoopGroup(numberOfLoops: 1, name: "dns-test-clash")
        defer { try? group.shutdownGracefully() }
        let clash = try AuthoritativeDNSServer(
            configuration: AuthoritativeDNSServerConfiguration(
                zone: try TestZone.configuration(),
                listenAddresses: [try SocketAddress(parsing: "127.0.0.1:0"), live.address]
            ),
            content: TestZone.content,
            group: group,
            logger: .init(label: "dns-test", level: .critical)
        )
        let error = #expect(throws: SystemError.self) { try clash.start() }
        #expect(error?.errno == EADDRINUSE)
        #expect(clash.localAddresses.isEmpty)
    }

    @Test func invalidServerConfigurationsAreRejected() throws {
        let group = try EventLoopGroup(numberOfLoops: 1, name: "dns-test-config")
        defer { try? group.shutdownGracefully() }
        let zone = try TestZone.configuration()
        let invalid = [
            AuthoritativeDNSServerConfiguration(zone: zone, listenAddresses: []),
            AuthoritativeDNSServerConfiguration(
                zone: zone,
                listenAddresses: [try SocketAddress(parsing: "127.0.0.1:0")],
                maximumTCPConnections: 0
            ),
            AuthoritativeDNSServerConfiguration(
                zone: zone,
                listenAddresses: [try SocketAddress(parsing: "127.0.0.1:0")],
                tcpLimits: DNSTCPConnectionLimits(idleTimeout: .zero)
            ),
        ]
        for configuration in invalid {
            #expect(throws: DNSServerError(.invalidConfiguration, "")) {
                try AuthoritativeDNSServer(
                    configuration: configuration,
                    content: TestZone.content,
                    group: group,
                    logger: .init(label: "dns-test")
                )
            }
        }
    }
}

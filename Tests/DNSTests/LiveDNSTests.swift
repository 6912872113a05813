import Glibc
import Synchronization
import TestSupport
import Testing

@testable import DNS

/// One Knot + Unbound pair shared by the live tests (each test uses its own names when it changes data).
enum LiveDNS {
    static let bigTXT = (0..<30).map { index in
        (index < 10 ? "0" : "") + String(index) + String(repeating: "x", count: 198)
    }

    static let records: [DNSTestRecord] =
        [
            DNSTestRecord(owner: "www.example.test", type: .a, value: "127.0.0.1"),
            DNSTestRecord(owner: "www.example.test", type: .aaaa, value: "::1"),
            DNSTestRecord(owner: "onlyv4.example.test", type: .a, value: "192.0.2.10"),
            DNSTestRecord(owner: "example.test", type: .mx, value: "20 mx2.example.test."),
            DNSTestRecord(owner: "example.test", type: .mx, value: "10 mx1.example.test."),
            .txt("_mta-sts.example.test", "v=STSv1; ", "id=20250101T000000"),
            DNSTestRecord(owner: "example.test", type: .caa, value: #"0 issue "pebble.test""#),
            DNSTestRecord(owner: "example.test", type: .caa, value: #"128 iodef "mailto:security@example.test""#),
            DNSTestRecord(owner: "mta-sts.example.test", type: .cname, value: "edge.platform.test."),
            DNSTestRecord(owner: "edge.platform.test", type: .a, value: "127.0.0.1"),
        ] + bigTXT.map { DNSTestRecord(owner: "big.example.test", type: .txt, value: $0) }

    /// Started on first use and stopped when the test process exits.
    static let shared: Result<DNSTestEnvironment, TestSupportError> = {
        do {
            let environment = try DNSTestEnvironment.start(zones: ["example.test", "platform.test"], records: records)
            atexit {
                if case .success(let environment) = LiveDNS.shared {
                    environment.stop()
                }
            }
            return .success(environment)
        } catch {
            return .failure(TestSupportError("\(error)"))
        }
    }()

    static func environment() throws -> DNSTestEnvironment {
        try shared.get()
    }
}

/// Counts how often the wrapped transport went over TCP.
final class CountingTransport: DNSTransport {
    private let inner = SocketDNSTransport()
    private let tcpCount = Mutex(0)

    var tcpExchanges: Int { tcpCount.withLock { $0 } }

    func exchangeUDP(
        _ query: [UInt8],
        with server: DNSServerAddress,
        timeout: Duration,
        isExpectedResponse: ([UInt8]) -> Bool
    ) -> DNSTransportResult {
        inner.exchangeUDP(query, with: server, timeout: timeout, isExpectedResponse: isExpectedResponse)
    }

    func exchangeTCP(_ query: [UInt8], with server: DNSServerAddress, timeout: Duration) -> DNSTransportResult {
        tcpCount.withLock { $0 += 1 }
        return inner.exchangeTCP(query, with: server, timeout: timeout)
    }
}

@Suite struct LiveDNSTests {
    private func name(_ text: String) throws -> DNSName { try DNSName(text) }

    /// Records without TTLs: Unbound counts a cached 1 s TTL down to 0.
    private func withoutTTL(_ result: DNSLookupResult) -> DNSLookupResult {
        guard case .answer(let records, let chain) = result else { return result }
        return .answer(
            records: records.map { record in
                var record = record
                record.ttl = 0
                return record
            },
            cnameChain: chain
        )
    }

    @Test func resolvesA() throws {
        let client = try LiveDNS.environment().resolverClient()
        let record = DNSResourceRecord(name: try name("www.example.test"), ttl: 0, data: .a(IPv4Address(127, 0, 0, 1)))
        #expect(
            withoutTTL(try client.query("www.example.test", type: .a)) == .answer(records: [record], cnameChain: [])
        )
    }

    @Test func resolvesAAAAAndAddresses() throws {
        let client = try LiveDNS.environment().resolverClient()
        guard case .answer(let records, _) = try client.query("www.example.test", type: .aaaa) else {
            Issue.record("expected AAAA answer")
            return
        }
        #expect(records.map(\.data) == [.aaaa(.loopback)])
        #expect(try client.addresses("www.example.test") == [.v4(IPv4Address(127, 0, 0, 1)), .v6(.loopback)])
    }

    @Test func resolvesMXInPreferenceOrder() throws {
        let client = try LiveDNS.environment().resolverClient()
        let mx = try client.mx("example.test")
        #expect(
            mx == [
                DNSMXRecord(preference: 10, exchange: try name("mx1.example.test")),
                DNSMXRecord(preference: 20, exchange: try name("mx2.example.test")),
            ]
        )
    }

    @Test func resolvesTXTWithTwoStrings() throws {
        let client = try LiveDNS.environment().resolverClient()
        #expect(try client.txt("_mta-sts.example.test") == [["v=STSv1; ", "id=20250101T000000"]])
    }

    @Test func resolvesCAA() throws {
        let client = try LiveDNS.environment().resolverClient()
        let caa = try client.caa("example.test").sorted { $0.flags < $1.flags }
        #expect(
            caa == [
                DNSCAARecord(flags: 0, tag: "issue", value: "pebble.test"),
                DNSCAARecord(flags: 128, tag: "iodef", value: "mailto:security@example.test"),
            ]
        )
    }

    @Test func unboundFollowsCNAMEAcrossZones() throws {
        let client = try LiveDNS.environment().resolverClient()
        let edge = try name("edge.platform.test")
        let record = DNSResourceRecord(name: edge, ttl: 0, data: .a(IPv4Address(127, 0, 0, 1)))
        #expect(
            withoutTTL(try client.query("mta-sts.example.test", type: .a))
                == .answer(records: [record], cnameChain: [edge])
        )
        #expect(try client.addresses("MTA-STS.Example.Test") == [.v4(IPv4Address(127, 0, 0, 1))])
        #expect(try client.cname("mta-sts.example.test") == edge)
    }

    @Test func knotAloneDoesNotChaseTheCNAME() throws {
        let client = try LiveDNS.environment().authoritativeClient()
        #expect(
            try client.query("mta-sts.example.test", type: .a) == .noData(cnameChain: [try name("edge.platform.test")])
        )
    }

    @Test func distinguishesNXDOMAINFromNODATA() throws {
        let client = try LiveDNS.environment().resolverClient()
        #expect(try client.query("missing.example.test", type: .a) == .nxdomain(cnameChain: []))
        #expect(try client.query("onlyv4.example.test", type: .aaaa) == .noData(cnameChain: []))
        #expect(try client.query("onlyv4.example.test", type: .txt) == .noData(cnameChain: []))
        #expect(try client.txt("missing.example.test").isEmpty)
    }

    @Test func authoritativeSOA() throws {
        let client = try LiveDNS.environment().authoritativeClient()
        guard case .answer(let records, _) = try client.query("platform.test", type: .soa),
            case .soa(let soa) = records.first?.data
        else {
            Issue.record("expected SOA")
            return
        }
        #expect(soa.primaryServer == (try name("ns1.platform.test")))
        #expect(soa.minimum == 1)
    }

    @Test func recordAddedAtRunTimeBecomesVisible() throws {
        let environment = try LiveDNS.environment()
        let client = environment.resolverClient()
        let owner = "added-\(UInt32.random(in: 0 ... .max)).example.test"
        #expect(try client.query(owner, type: .txt) == .nxdomain(cnameChain: []))
        try environment.set(zone: "example.test", owner: owner, type: .txt, value: #"v=STSv1; id="quoted" \ 1"#)
        try Poll.until(deadline: 10, "\(owner) TXT visible through unbound") {
            try client.txt(owner) == [[#"v=STSv1; id="quoted" \ 1"#]]
        }
    }

    @Test func replaceAndUnsetAtRunTime() throws {
        let environment = try LiveDNS.environment()
        let client = environment.authoritativeClient()
        let owner = "swap-\(UInt32.random(in: 0 ... .max))"
        try environment.set(zone: "platform.test", owner: owner, type: .a, value: "192.0.2.1")
        try environment.set(zone: "platform.test", owner: owner, type: .a, value: "192.0.2.2")
        let fqdn = owner + ".platform.test"
        #expect(try client.addresses(fqdn).count == 2)
        try environment.replace(zone: "platform.test", owner: fqdn, type: .a, values: ["192.0.2.3"])
        #expect(try client.addresses(fqdn) == [.v4(IPv4Address(192, 0, 2, 3))])
        try environment.unset(zone: "platform.test", owner: fqdn, type: .a)
        #expect(try client.query(fqdn, type: .a) == .nxdomain(cnameChain: []))
        let resolver = environment.resolverClient()
        try Poll.until(deadline: 10, "unbound forgets \(fqdn)") {
            try resolver.query(fqdn, type: .a) == .nxdomain(cnameChain: [])
        }
    }

    @Test func invalidKnotChangeIsReportedAndAborted() throws {
        let environment = try LiveDNS.environment()
        #expect(throws: TestSupportError.self) {
            try environment.set(zone: "example.test", owner: "bad", type: .a, value: "not-an-address")
        }
        // The aborted transaction left the zone usable for the next change.
        try environment.set(zone: "example.test", owner: "after-abort", type: .a, value: "192.0.2.99")
        #expect(
            try environment.authoritativeClient().addresses("after-abort.example.test") == [
                .v4(IPv4Address(192, 0, 2, 99))
            ]
        )
    }

    @Test(arguments: [false, true])
    func largeTXTFallsBackToTCP(throughResolver: Bool) throws {
        let environment = try LiveDNS.environment()
        let transport = CountingTransport()
        let server = throughResolver ? environment.resolverAddress : environment.authoritativeAddress
        let client = DNSClient(resolvers: [server], timeout: .seconds(3), attempts: 1, transport: transport)
        let texts = try client.txt("big.example.test")
        #expect(texts.count == 30)
        #expect(texts.flatMap { $0 }.sorted() == LiveDNS.bigTXT)
        #expect(transport.tcpExchanges == 1)
    }

    @Test func environmentStopsItsDaemons() throws {
        let environment = try DNSTestEnvironment.start(
            zones: ["solo.test"],
            records: [DNSTestRecord(owner: "x.solo.test", type: .a, value: "192.0.2.5")]
        )
        let client = environment.resolverClient(timeout: .milliseconds(300), attempts: 1)
        #expect(try client.addresses("x.solo.test") == [.v4(IPv4Address(192, 0, 2, 5))])
        let directory = environment.directory.path
        environment.stop()
        environment.stop()
        switch try client.query("x.solo.test", type: .a) {
        case .timeout, .networkError: break
        case let other: Issue.record("resolver still answers after stop: \(other)")
        }
        #expect(access(directory, F_OK) != 0)
    }

    @Test func recordOutsideEveryZoneIsRejectedAtStart() {
        #expect(throws: TestSupportError.self) {
            try DNSTestEnvironment.start(
                zones: ["inside.test"],
                records: [DNSTestRecord(owner: "x.outside.test", type: .a, value: "192.0.2.1")]
            )
        }
    }
}

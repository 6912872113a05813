import Testing

@testable import DNS

@Suite struct DNSClientTests {
    private let first = DNSServerAddress(host: .v4(IPv4Address(192, 0, 2, 1)))
    private let second = DNSServerAddress(host: .v4(IPv4Address(192, 0, 2, 2)))

    private static func a(_ owner: DNSName, _ last: UInt8) -> DNSResourceRecord {
        DNSResourceRecord(name: owner, ttl: 1, data: .a(IPv4Address(192, 0, 2, last)))
    }

    private func client(_ transport: ScriptedTransport, attempts: Int = 1) -> DNSClient {
        DNSClient(resolvers: [first, second], timeout: .milliseconds(100), attempts: attempts, transport: transport)
    }

    @Test func sendsRecursiveQueryWithEDNS4096() throws {
        let transport = ScriptedTransport { call in
            .deliver([reply(to: call.query, answers: [Self.a(call.query.questions[0].name, 7)])])
        }
        let name = try DNSName("www.example.test")
        let result = client(transport).query(name, type: .a)
        #expect(result == .answer(records: [Self.a(name, 7)], cnameChain: []))
        let query = try #require(transport.calls.first?.query)
        #expect(query.header.isRecursionDesired)
        #expect(!query.header.isResponse)
        #expect(query.questions == [DNSQuestion(name: name, type: .a)])
        #expect(query.edns?.udpPayloadSize == 4096)
        #expect(transport.calls.map(\.server) == [first])
    }

    @Test func usesRandomIDs() throws {
        let transport = ScriptedTransport { _ in .timeout }
        let client = DNSClient(resolvers: [first], timeout: .milliseconds(1), attempts: 1, transport: transport)
        for _ in 0..<32 {
            _ = client.query(DNSName.root, type: .ns)
        }
        #expect(Set(transport.calls.map(\.query.id)).count > 16)
    }

    @Test func ignoresMismatchedDatagramsAndAcceptsTheMatchingOne() throws {
        let name = try DNSName("www.example.test")
        let transport = ScriptedTransport { call in
            let query = call.query
            let good = Self.a(name, 1)
            return .deliver([
                reply(to: query, id: query.id &+ 1, answers: [Self.a(name, 66)]),
                reply(to: query, answers: [Self.a(name, 67)], isResponse: false),
                reply(
                    to: query,
                    answers: [Self.a(name, 68)],
                    question: DNSQuestion(name: try! DNSName("evil.test"), type: .a)
                ),
                reply(to: query, answers: [Self.a(name, 69)], question: DNSQuestion(name: name, type: .aaaa)),
                [0xDE, 0xAD],
                reply(to: query, answers: [good]),
            ])
        }
        #expect(client(transport).query(name, type: .a) == .answer(records: [Self.a(name, 1)], cnameChain: []))
    }

    @Test func acceptsQuestionEchoedInDifferentCase() throws {
        let transport = ScriptedTransport { call in
            let echoed = DNSQuestion(name: try! DNSName("WWW.Example.TEST"), type: .a)
            return .deliver([reply(to: call.query, answers: [Self.a(echoed.name, 3)], question: echoed)])
        }
        guard case .answer(let records, _) = client(transport).query(try DNSName("www.example.test"), type: .a) else {
            Issue.record("expected an answer")
            return
        }
        #expect(records.count == 1)
    }

    @Test func onlyMismatchedDatagramsMeanTimeout() throws {
        let transport = ScriptedTransport { call in .deliver([reply(to: call.query, id: call.query.id ^ 0xFFFF)]) }
        #expect(client(transport, attempts: 2).query(try DNSName("a.test"), type: .a) == .timeout)
        #expect(transport.calls.count == 4)
    }

    @Test func serverFailureMovesToNextResolver() throws {
        let first = self.first
        let transport = ScriptedTransport { call in
            call.server == first
                ? .deliver([reply(to: call.query, rcode: .serverFailure)])
                : .deliver([reply(to: call.query, answers: [Self.a(call.query.questions[0].name, 2)])])
        }
        let name = try DNSName("a.test")
        #expect(client(transport).query(name, type: .a) == .answer(records: [Self.a(name, 2)], cnameChain: []))
        #expect(transport.calls.map(\.server) == [first, second])
    }

    @Test func everyResolverFailingReportsTheRcode() throws {
        let transport = ScriptedTransport { call in .deliver([reply(to: call.query, rcode: .refused)]) }
        #expect(client(transport, attempts: 2).query(try DNSName("a.test"), type: .a) == .serverFailure(.refused))
        #expect(transport.calls.count == 4)
    }

    @Test func timeoutRetriesAcrossResolversAndAttempts() throws {
        let transport = ScriptedTransport { _ in .timeout }
        #expect(client(transport, attempts: 3).query(try DNSName("a.test"), type: .a) == .timeout)
        #expect(transport.calls.map(\.server) == [first, second, first, second, first, second])
    }

    @Test func timeoutOnFirstThenAnswerFromSecond() throws {
        let first = self.first
        let transport = ScriptedTransport { call in
            call.server == first ? .timeout : .deliver([reply(to: call.query, rcode: .nameError)])
        }
        #expect(client(transport).query(try DNSName("gone.test"), type: .a) == .nxdomain(cnameChain: []))
    }

    @Test func networkErrorIsReported() throws {
        let transport = ScriptedTransport { _ in .failure("connection refused") }
        #expect(client(transport).query(try DNSName("a.test"), type: .a) == .networkError("connection refused"))
    }

    @Test func noResolversIsANetworkError() throws {
        let client = DNSClient(resolvers: [], transport: ScriptedTransport { _ in .timeout })
        guard case .networkError = client.query(DNSName.root, type: .soa) else {
            Issue.record("expected networkError")
            return
        }
    }

    @Test func truncatedUDPFallsBackToTCP() throws {
        let name = try DNSName("big.example.test")
        let records = (1...40).map { Self.a(name, UInt8($0)) }
        let transport = ScriptedTransport { call in
            if call.isTCP {
                return .deliver([reply(to: call.query, answers: records)])
            }
            // A truncated datagram cut in the middle of its records, as some servers send.
            let full = reply(to: call.query, answers: records, truncated: true)
            return .deliver([Array(full.prefix(60))])
        }
        #expect(client(transport).query(name, type: .a) == .answer(records: records, cnameChain: []))
        #expect(transport.calls.map(\.isTCP) == [false, true])
        #expect(transport.calls[0].query.id == transport.calls[1].query.id)
    }

    @Test func mismatchedTCPResponseIsRejected() throws {
        let transport = ScriptedTransport { call in
            call.isTCP
                ? .deliver([reply(to: call.query, id: call.query.id &+ 1)])
                : .deliver([reply(to: call.query, truncated: true)])
        }
        guard case .networkError(let message) = client(transport).query(try DNSName("a.test"), type: .txt) else {
            Issue.record("expected networkError")
            return
        }
        #expect(message.contains("mismatched"))
    }

    @Test func convenienceLookupsDecodeTypedData() throws {
        let transport = ScriptedTransport { call in
            let question = call.query.questions[0]
            let owner = question.name
            let answers: [DNSResourceRecord] =
                switch question.type {
                case .mx:
                    [
                        DNSResourceRecord(
                            name: owner,
                            ttl: 1,
                            data: .mx(DNSMXRecord(preference: 20, exchange: try! DNSName("b.test")))
                        ),
                        DNSResourceRecord(
                            name: owner,
                            ttl: 1,
                            data: .mx(DNSMXRecord(preference: 10, exchange: try! DNSName("a.test")))
                        ),
                    ]
                case .txt: [DNSResourceRecord(name: owner, ttl: 1, data: .txt(DNSTXTRecord(["v=STSv1; ", "id=1"])))]
                case .a: [Self.a(owner, 9)]
                case .aaaa: [DNSResourceRecord(name: owner, ttl: 1, data: .aaaa(.loopback))]
                case .caa:
                    [DNSResourceRecord(name: owner, ttl: 1, data: .caa(DNSCAARecord(tag: "issue", value: "ca.test")))]
                case .cname: [DNSResourceRecord(name: owner, ttl: 1, data: .cname(try! DNSName("edge.test")))]
                default: []
                }
            return .deliver([reply(to: call.query, answers: answers)])
        }
        let client = client(transport)
        #expect(try client.mx("x.test").map(\.exchange.description) == ["a.test", "b.test"])
        #expect(try client.txt("x.test") == [["v=STSv1; ", "id=1"]])
        #expect(try client.addresses("x.test") == [.v4(IPv4Address(192, 0, 2, 9)), .v6(.loopback)])
        #expect(try client.caa("x.test") == [DNSCAARecord(tag: "issue", value: "ca.test")])
        #expect(try client.cname("x.test") == (try DNSName("edge.test")))
    }

    @Test func convenienceLookupsMapOutcomes() throws {
        let nx = client(ScriptedTransport { call in .deliver([reply(to: call.query, rcode: .nameError)]) })
        #expect(try nx.txt("gone.test").isEmpty)
        #expect(try nx.cname("gone.test") == nil)
        let silent = client(ScriptedTransport { _ in .timeout })
        #expect(throws: DNSError(.timeout, "")) { try silent.mx("a.test") }
        let failing = client(ScriptedTransport { call in .deliver([reply(to: call.query, rcode: .serverFailure)]) })
        #expect(throws: DNSError(.serverFailure, "")) { try failing.caa("a.test") }
        let broken = client(ScriptedTransport { _ in .failure("boom") })
        #expect(throws: DNSError(.network, "")) { try broken.addresses("a.test") }
        #expect(throws: DNSError(.invalidName, "")) { try broken.txt("a..test") }
    }
}

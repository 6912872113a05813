import Testing

@testable import DNS

@Suite struct DNSLookupResultTests {
    private func name(_ text: String) throws -> DNSName { try DNSName(text) }

    private func response(
        rcode: DNSResponseCode = .noError,
        question: DNSQuestion,
        answers: [DNSResourceRecord]
    ) -> DNSMessage {
        DNSMessage(header: DNSHeader(id: 1, isResponse: true, rcode: rcode), questions: [question], answers: answers)
    }

    private func cname(_ owner: String, _ target: String) throws -> DNSResourceRecord {
        DNSResourceRecord(name: try name(owner), ttl: 1, data: .cname(try name(target)))
    }

    @Test func directAnswerHasEmptyChain() throws {
        let question = DNSQuestion(name: try name("a.test"), type: .a)
        let record = DNSResourceRecord(name: try name("A.TEST"), ttl: 1, data: .a(IPv4Address(1, 2, 3, 4)))
        let result = DNSLookupResult(response: response(question: question, answers: [record]), question: question)
        #expect(result == .answer(records: [record], cnameChain: []))
    }

    @Test func followsCNAMEChainAndIgnoresUnrelatedRecords() throws {
        let question = DNSQuestion(name: try name("mta-sts.example.test"), type: .a)
        let final = DNSResourceRecord(name: try name("edge.platform.test"), ttl: 1, data: .a(IPv4Address(127, 0, 0, 1)))
        let stray = DNSResourceRecord(name: try name("other.test"), ttl: 1, data: .a(IPv4Address(9, 9, 9, 9)))
        let answers = [
            try cname("mta-sts.example.test", "lb.platform.test"), stray,
            try cname("lb.platform.test", "edge.platform.test"), final,
        ]
        let result = DNSLookupResult(response: response(question: question, answers: answers), question: question)
        #expect(
            result
                == .answer(
                    records: [final],
                    cnameChain: [try name("lb.platform.test"), try name("edge.platform.test")]
                )
        )
        #expect(result.cnameChain.count == 2)
    }

    @Test func cnameQueryReturnsTheCNAMEItself() throws {
        let question = DNSQuestion(name: try name("a.test"), type: .cname)
        let record = try cname("a.test", "b.test")
        let result = DNSLookupResult(response: response(question: question, answers: [record]), question: question)
        #expect(result == .answer(records: [record], cnameChain: []))
    }

    @Test func nxdomainAfterChainKeepsChain() throws {
        let question = DNSQuestion(name: try name("a.test"), type: .txt)
        let result = DNSLookupResult(
            response: response(rcode: .nameError, question: question, answers: [try cname("a.test", "gone.test")]),
            question: question
        )
        #expect(result == .nxdomain(cnameChain: [try name("gone.test")]))
    }

    @Test func noDataWhenNameExistsWithoutType() throws {
        let question = DNSQuestion(name: try name("a.test"), type: .aaaa)
        let record = DNSResourceRecord(name: try name("a.test"), ttl: 1, data: .a(IPv4Address(1, 1, 1, 1)))
        let result = DNSLookupResult(response: response(question: question, answers: [record]), question: question)
        #expect(result == .noData(cnameChain: []))
    }

    @Test func cnameLoopIsAServerFailure() throws {
        let question = DNSQuestion(name: try name("a.test"), type: .a)
        let answers = [try cname("a.test", "b.test"), try cname("b.test", "a.test")]
        let result = DNSLookupResult(response: response(question: question, answers: answers), question: question)
        #expect(result == .serverFailure(.serverFailure))
    }

    @Test func chainLongerThanEightIsCut() throws {
        let question = DNSQuestion(name: try name("n0.test"), type: .a)
        let answers =
            try (0..<10).map { try cname("n\($0).test", "n\($0 + 1).test") }
            + [DNSResourceRecord(name: try name("n10.test"), ttl: 1, data: .a(IPv4Address(1, 1, 1, 1)))]
        let result = DNSLookupResult(response: response(question: question, answers: answers), question: question)
        #expect(result == .serverFailure(.serverFailure))
        let eight =
            Array(answers[0..<8]) + [
                DNSResourceRecord(name: try name("n8.test"), ttl: 1, data: .a(IPv4Address(1, 1, 1, 1)))
            ]
        if case .answer(_, let chain) = DNSLookupResult(
            response: response(question: question, answers: eight),
            question: question
        ) {
            #expect(chain.count == 8)
        } else {
            Issue.record("an eight-link chain should resolve")
        }
    }

    @Test(arguments: [DNSResponseCode.serverFailure, .refused, .formatError, .notImplemented])
    func failureCodesMapToServerFailure(rcode: DNSResponseCode) throws {
        let question = DNSQuestion(name: try name("a.test"), type: .a)
        let result = DNSLookupResult(
            response: response(rcode: rcode, question: question, answers: []),
            question: question
        )
        #expect(result == .serverFailure(rcode))
    }
}

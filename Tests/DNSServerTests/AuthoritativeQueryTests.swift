import DNS
import Testing

@testable import DNSServer

/// Reading queries straight from bytes: what is kept, and the first problem recorded.
@Suite struct AuthoritativeQueryTests {
    private func parse(_ hex: String) -> AuthoritativeQuery? {
        AuthoritativeQuery(parsing: [UInt8](hex: hex))
    }

    @Test func readsHeaderQuestionAndEDNS() throws {
        let query = try #require(parse(QueryFixtures.soaQuery))
        #expect(query.id == 0x1008)
        #expect(!query.isResponse && query.opcode == .query && query.isRecursionDesired && !query.isCheckingDisabled)
        #expect(query.questionCount == 1)
        #expect(query.question == DNSQuestion(name: try DNSName("sts.platform.example"), type: .soa))
        #expect(query.edns == AuthoritativeQuery.EDNS(udpPayloadSize: 1232, version: 0, dnssecOK: true))
        #expect(query.formatProblem == nil)
    }

    @Test func skipsRecordsThatAreNotOPT() throws {
        let query = try #require(parse(QueryFixtures.ixfrQuery))
        #expect(query.formatProblem == nil)
        #expect(query.question?.type == .ixfr)
        #expect(query.edns == nil)
    }

    @Test(arguments: [
        (QueryFixtures.twoOPTQuery, AuthoritativeQuery.FormatProblem.multipleOPT),
        (QueryFixtures.optInAnswerQuery, .misplacedOPT),
        (QueryFixtures.optNotRootQuery, .misplacedOPT),
        (QueryFixtures.optBadOptionsQuery, .malformedOPT),
        (QueryFixtures.twoQuestionsQuery, .questionCount(2)),
        (QueryFixtures.noQuestionQuery, .questionCount(0)),
        (QueryFixtures.truncatedQuestionQuery, .truncated),
        (QueryFixtures.pointerQuestionQuery, .invalidQuestionName),
        (QueryFixtures.longLabelQuery, .invalidQuestionName),
    ])
    func recordsTheFirstProblem(hex: String, problem: AuthoritativeQuery.FormatProblem) throws {
        #expect(try #require(parse(hex)).formatProblem == problem)
    }

    @Test func keepsTheFirstOPTWhenThereAreTwo() throws {
        let query = try #require(parse(QueryFixtures.twoOPTQuery))
        #expect(query.edns?.udpPayloadSize == 1232)
        #expect(query.question != nil)
    }

    @Test func responsesAreReadOnlyToTheirHeader() throws {
        let query = try #require(parse(QueryFixtures.responseMessage))
        #expect(query.isResponse)
        #expect(query.question == nil)
        #expect(parse(QueryFixtures.shortMessage) == nil)
    }

    @Test func recordCutShortIsTruncated() throws {
        var bytes = [UInt8](hex: QueryFixtures.tlsrptQuery)
        bytes.removeLast(3)
        #expect(AuthoritativeQuery(parsing: bytes)?.formatProblem == .truncated)
        #expect(AuthoritativeQuery(parsing: bytes)?.question != nil)
    }
}

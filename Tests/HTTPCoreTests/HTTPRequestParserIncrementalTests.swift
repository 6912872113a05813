import HTTPCore
import TestSupport
import Testing

/// A named well-formed input.
struct ValidInput: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    var testDescription: String { name }
}

/// The parser must produce the same requests however the bytes are split.
@Suite struct HTTPRequestParserIncrementalTests {
    static let texts: [String] = [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "\r\nGET /x?y=z HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test/1.0\r\nAccept: */*\r\n\r\n",
        "POST /v1/domains HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n"
            + "{\"name\":\"a.test\"}",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\n",
        HTTPRequestParserPipeliningTests.pipelined,
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n",
    ]
    static let inputs = texts.enumerated().map { ValidInput(name: "input \($0.offset)", text: $0.element) }

    @Test(arguments: inputs)
    func byteByByteMatchesWholeBuffer(_ valid: ValidInput) {
        let input = valid.text
        let whole = parseRequests(input)
        #expect(whole.error == nil)
        #expect(whole.requests.allSatisfy { $0.isComplete })
        #expect(parseRequests(input, feeding: .byteByByte) == whole)
    }

    @Test(arguments: inputs)
    func randomSplitsMatchWholeBuffer(_ valid: ValidInput) {
        let input = valid.text
        let whole = parseRequests(input)
        for seed in UInt64(1)...20 {
            #expect(parseRequests(input, feeding: .randomSplits(seed: seed)) == whole, "seed \(seed)")
        }
    }

    @Test func bodyChunksConcatenateToTheSameBody() throws {
        let body = (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let bytes = Array("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 4000\r\n\r\n".utf8) + body
        for seed in UInt64(100)...105 {
            let outcome = parseRequests(bytes, feeding: .randomSplits(seed: seed))
            #expect(outcome.requests.first?.body == body)
        }
    }

    @Test func seededGeneratorIsDeterministic() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in first.next() } == (0..<5).map { _ in second.next() })
    }
}

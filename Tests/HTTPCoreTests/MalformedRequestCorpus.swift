import HTTPCore
import Testing

/// One malformed input and the answer RFC 9112 demands for it.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let status: Int
    let code: HTTPParseError.Code

    init(_ name: String, _ text: String, _ status: Int, _ code: HTTPParseError.Code) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.status = status
        self.code = code
    }

    init(_ name: String, bytes: [UInt8], _ status: Int, _ code: HTTPParseError.Code) {
        self.name = name
        self.bytes = bytes
        self.status = status
        self.code = code
    }

    var testDescription: String { name }
}

/// The malformed-request corpus: every rule the parser enforces, with the status it must produce.
enum MalformedRequestCorpus {
    static let chunkedHead = "POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
    static let overLimitLine = "GET /" + String(repeating: "a", count: 8192) + " HTTP/1.1\r\nHost: a\r\n\r\n"
    static let overLimitHeaders =
        "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: 16384) + "\r\n\r\n"
    static let tooManyFields =
        "GET / HTTP/1.1\r\nHost: a\r\n" + (1...100).map { "X-\($0): v\r\n" }.joined() + "\r\n"

    static let cases: [MalformedCase] = [
        // RFC 9112 §2.2: line terminators.
        .init("bare LF after request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400, .bareLineFeed),
        .init("bare LF after field", "GET / HTTP/1.1\r\nHost: a\n\r\n", 400, .bareLineFeed),
        .init("bare LF as final line", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400, .bareLineFeed),
        .init("bare LF before request line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, .bareLineFeed),
        .init(
            "too many leading empty lines",
            "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            400,
            .tooManyLeadingEmptyLines
        ),
        // RFC 9112 §5.2 and §2.2: folding and leading whitespace.
        .init("obs-fold with SP", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400, .obsoleteLineFolding),
        .init("obs-fold with HTAB", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", 400, .obsoleteLineFolding),
        .init("whitespace after request line", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400, .whitespaceAfterStartLine),
        // RFC 9112 §5.1 and RFC 9110 §5.1, §5.5: field syntax.
        .init("SP before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, .whitespaceBeforeColon),
        .init("HTAB before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", 400, .whitespaceBeforeColon),
        .init("separator in field name", "GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", 400, .invalidFieldName),
        .init("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", 400, .invalidFieldName),
        .init("non-ASCII field name", "GET / HTTP/1.1\r\nHost: a\r\nX-Ä: b\r\n\r\n", 400, .invalidFieldName),
        .init("field line without colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A b\r\n\r\n", 400, .invalidFieldLine),
        .init("NUL in field value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u{0}b\r\n\r\n", 400, .invalidFieldValue),
        .init("bare CR in field value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\rb\r\n\r\n", 400, .invalidFieldValue),
        .init("DEL in field value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u{7F}b\r\n\r\n", 400, .invalidFieldValue),
        .init("SOH in field value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: \u{1}\r\n\r\n", 400, .invalidFieldValue),
        // RFC 9112 §3: request line.
        .init("separator in method", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidMethod),
        .init("non-ASCII method", "GÉT / HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidMethod),
        .init("HTAB as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidMethod),
        .init("leading SP", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestLine),
        .init("double SP", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestLine),
        .init("missing version", "GET /\r\nHost: a\r\n\r\n", 400, .invalidRequestLine),
        .init("single word", "GET\r\nHost: a\r\n\r\n", 400, .invalidRequestLine),
        .init("trailing SP after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, .invalidVersion),
        .init("SP inside target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidVersion),
        // RFC 9112 §3.2: request-target.
        .init("CTL in target", "GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestTarget),
        .init("non-ASCII target", "GET /ä HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestTarget),
        .init("fragment in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestTarget),
        .init("relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestTarget),
        .init("asterisk-form with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestTarget),
        .init("authority-form", "CONNECT a.example:443 HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestTarget),
        .init(
            "absolute-form userinfo",
            "GET http://u@a.example/ HTTP/1.1\r\nHost: a\r\n\r\n",
            400,
            .invalidRequestTarget
        ),
        .init("absolute-form ftp", "GET ftp://a.example/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestTarget),
        .init("absolute-form empty host", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400, .invalidRequestTarget),
        // RFC 9112 §2.3: version.
        .init("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400, .invalidVersion),
        .init("two-digit version", "GET / HTTP/11\r\nHost: a\r\n\r\n", 400, .invalidVersion),
        .init("version with suffix", "GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400, .invalidVersion),
        .init("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505, .unsupportedVersion),
        .init("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, .unsupportedVersion),
        .init("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", 505, .unsupportedVersion),
        // RFC 9112 §3.2: Host.
        .init("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, .missingHost),
        .init("two Host lines", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400, .multipleHosts),
        .init("Host with SP", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, .invalidHost),
        .init("Host with slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, .invalidHost),
        // RFC 9112 §6.1, §6.3: framing.
        .init(
            "CL then TE",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            400,
            .contentLengthWithTransferEncoding
        ),
        .init(
            "TE then CL",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
            400,
            .contentLengthWithTransferEncoding
        ),
        .init(
            "differing CL lines",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            400,
            .conflictingContentLength
        ),
        .init(
            "differing CL list",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n",
            400,
            .conflictingContentLength
        ),
        .init("non-digit CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", 400, .invalidContentLength),
        .init("negative CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400, .invalidContentLength),
        .init("plus-signed CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", 400, .invalidContentLength),
        .init("empty CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", 400, .invalidContentLength),
        .init("hex CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", 400, .invalidContentLength),
        .init(
            "overflowing CL",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
            400,
            .invalidContentLength
        ),
        .init(
            "TE gzip only",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
            400,
            .invalidTransferEncoding
        ),
        .init(
            "TE chunked then gzip",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            400,
            .invalidTransferEncoding
        ),
        .init(
            "TE chunked twice",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
            400,
            .invalidTransferEncoding
        ),
        .init(
            "TE chunked on two lines",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            400,
            .invalidTransferEncoding
        ),
        .init("TE empty", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n", 400, .invalidTransferEncoding),
        .init(
            "TE gzip then chunked",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            501,
            .unsupportedTransferCoding
        ),
        .init(
            "TE in HTTP/1.0",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
            400,
            .transferEncodingInHTTP10
        ),
        // RFC 9112 §7.1: chunked body.
        .init("non-hex chunk size", chunkedHead + "zz\r\n", 400, .invalidChunkSize),
        .init("empty chunk size", chunkedHead + "\r\n", 400, .invalidChunkSize),
        .init("chunk size overflow", chunkedHead + "ffffffffffffffffff\r\n", 400, .invalidChunkSize),
        .init("leading SP in chunk size", chunkedHead + " 5\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkSize),
        .init("garbage after chunk size", chunkedHead + "5 x\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkSize),
        .init("CTL in chunk extension", chunkedHead + "5;a=\u{1}\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkExtension),
        .init("chunk data too long", chunkedHead + "5\r\nhelloXX\r\n0\r\n\r\n", 400, .invalidChunkTerminator),
        .init("chunk data then bare LF", chunkedHead + "5\r\nhello\n0\r\n\r\n", 400, .bareLineFeed),
        .init("chunk size then bare LF", chunkedHead + "5\nhello\r\n0\r\n\r\n", 400, .bareLineFeed),
        .init("obs-fold in trailer", chunkedHead + "0\r\nX-T: a\r\n b\r\n\r\n", 400, .obsoleteLineFolding),
        .init("bad trailer name", chunkedHead + "0\r\nX T: a\r\n\r\n", 400, .invalidFieldName),
        // Limits (RFC 9110 §15.5.14, §15.5.15; RFC 6585 §5).
        .init("request line too long", overLimitLine, 414, .requestLineTooLong),
        .init("header section too large", overLimitHeaders, 431, .headerSectionTooLarge),
        .init("too many fields", tooManyFields, 431, .tooManyFields),
        .init(
            "CL over body limit",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n",
            413,
            .contentTooLarge
        ),
        .init("chunk over body limit", chunkedHead + "100001\r\n", 413, .contentTooLarge),
        .init("chunk size of 2^64-1", chunkedHead + "ffffffffffffffff\r\n", 413, .contentTooLarge),
    ]
}

@Suite struct MalformedRequestCorpusTests {
    @Test func corpusCoversEnoughCases() {
        #expect(MalformedRequestCorpus.cases.count >= 40)
    }

    @Test(arguments: MalformedRequestCorpus.cases)
    func rejectsWithExpectedStatus(_ testCase: MalformedCase) {
        let outcome = parseRequests(testCase.bytes)
        #expect(outcome.error == testCase.code)
        #expect(outcome.error?.status.code == testCase.status)
        #expect(outcome.requests.allSatisfy { !$0.isComplete })
    }

    @Test(arguments: MalformedRequestCorpus.cases)
    func rejectsTheSameWayByteByByte(_ testCase: MalformedCase) {
        var byteByByte = parseRequests(testCase.bytes, feeding: .byteByByte)
        let whole = parseRequests(testCase.bytes)
        // Where the error strikes inside the last read differs between feedings; the verdict must not.
        byteByByte.leftover = whole.leftover
        #expect(byteByByte == whole)
    }

    @Test(arguments: MalformedRequestCorpus.cases)
    func rejectsTheSameWayInRandomSplits(_ testCase: MalformedCase) {
        let whole = parseRequests(testCase.bytes)
        for seed in UInt64(1)...5 {
            var split = parseRequests(testCase.bytes, feeding: .randomSplits(seed: seed))
            // Where the error strikes inside the last read differs between feedings; the verdict must not.
            split.leftover = whole.leftover
            #expect(split == whole, "seed \(seed)")
        }
    }

    @Test func failedParserKeepsThrowing() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(stringLiteral: "GET / HTTP/1.1\nHost: a\r\n\r\n")
        #expect(throws: HTTPParseError(.bareLineFeed)) { _ = try parser.next(from: &buffer) }
        var fresh = ByteBuffer(stringLiteral: "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(throws: HTTPParseError(.bareLineFeed)) { _ = try parser.next(from: &fresh) }
    }
}

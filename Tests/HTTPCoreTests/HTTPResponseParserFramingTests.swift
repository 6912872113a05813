import HTTPCore
import Testing

/// The status line (RFC 9112 §4) and how the body of a response is delimited (RFC 9112 §6.3).
@Suite struct HTTPResponseParserFramingTests {
    // MARK: - Status line

    @Test func statusLineParts() throws {
        let outcome = parseResponse("HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        let head = try #require(outcome.head)
        #expect(head.version == .http1_0)
        #expect(head.status == .serviceUnavailable)
        #expect(head.status.reasonPhrase == "Service Unavailable")
        #expect(outcome.isComplete)
    }

    @Test func reasonPhraseMayHoldHTABAndObsText() throws {
        let bytes = Array("HTTP/1.1 200 O\tK ".utf8) + [0xE9] + Array("\r\nContent-Length: 0\r\n\r\n".utf8)
        let outcome = parseResponse(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.head?.status.reasonPhrase.hasPrefix("O\tK ") == true)
    }

    @Test func emptyOrMissingReasonPhrase() {
        #expect(parseResponse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").head?.status.reasonPhrase == "")
        #expect(parseResponse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").head?.status.reasonPhrase == "")
    }

    @Test func codesAbove599ArePassedOn() {
        // RFC 9110 §15: the client treats them as 5xx; the parser does not refuse them.
        #expect(parseResponse("HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n").status == 999)
    }

    @Test func statusLineRules() {
        #expect(parseResponse("HTTP/1.1 200 O\u{1}K\r\n\r\n").error == .invalidReasonPhrase)
        #expect(parseResponse("HTTP/1.1  200 OK\r\n\r\n").error == .invalidStatus)
        #expect(parseResponse("HTTP/1.1\t200 OK\r\n\r\n").error == .invalidStatusLine)
        #expect(parseResponse("HTTP/1.1 2000 OK\r\n\r\n").error == .invalidStatusLine)
        #expect(parseResponse("HTTP/1.2 200 OK\r\n\r\n").error == .unsupportedVersion)
        #expect(parseResponse("HTTP/1.1\r\n\r\n").error == .invalidStatusLine)
        // RFC 9112 §2.2: leading empty lines are skipped by servers before a request, not by clients.
        #expect(parseResponse("\r\nHTTP/1.1 200 OK\r\n\r\n").error == .invalidVersion)
    }

    // MARK: - No body (RFC 9112 §6.3, item 1 and 2)

    @Test func headResponseIgnoresChunkedFraming() throws {
        let outcome = parseResponse(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            method: .head,
            close: false
        )
        #expect(outcome.isComplete)
        #expect(outcome.body == "")
        #expect(outcome.fields == ["Transfer-Encoding: chunked"])
    }

    @Test func noContentAndNotModifiedEndWithTheHead() {
        for text in [
            "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\nabc",
            "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\nabc",
        ] {
            let outcome = parseResponse(text, close: false)
            #expect(outcome.isComplete, "\(text.debugDescription)")
            #expect(outcome.body == "")
            // The bytes after the head are not part of the message.
            #expect(outcome.leftover == 3)
        }
    }

    @Test func interimResponseFieldsAreNotKept() {
        let outcome = parseResponse(
            "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 204 No Content\r\nX-Final: 2\r\n\r\n",
            close: false
        )
        #expect(outcome.fields == ["X-Final: 2"])
        #expect(outcome.isComplete)
    }

    @Test func interimResponsesAreBounded() {
        let interim = String(repeating: "HTTP/1.1 100 Continue\r\n\r\n", count: 8)
        let final = "HTTP/1.1 204 No Content\r\n\r\n"
        #expect(parseResponse(interim + final, close: false).isComplete)
        let tooMany = parseResponse(interim + "HTTP/1.1 102 Processing\r\n\r\n" + final, close: false)
        #expect(tooMany.error == .unexpectedInterimResponse)
    }

    @Test func successfulConnectStartsATunnel() {
        let outcome = parseResponse(
            "HTTP/1.1 200 Connection Established\r\nContent-Length: 5\r\n\r\n\u{16}\u{3}\u{1}",
            method: .connect,
            close: false
        )
        #expect(outcome.isComplete)
        #expect(outcome.body == "")
        #expect(outcome.leftover == 3)
        // A refused CONNECT has an ordinary body.
        let refused = parseResponse(
            "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 2\r\n\r\nno",
            method: .connect
        )
        #expect(refused.body == "no")
    }

    // MARK: - Content-Length, chunked, until close

    @Test func contentLengthResponseCompletesWithoutClose() {
        let outcome = parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", close: false)
        #expect(outcome.isComplete)
        #expect(outcome.body == "ok")
        #expect(outcome.leftover == 5)
    }

    @Test func chunkedResponseCompletesWithoutClose() {
        let outcome = parseResponse(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            close: false
        )
        #expect(outcome.isComplete)
        #expect(outcome.body == "ok")
    }

    @Test func untilCloseBodyNeedsTheClose() {
        let open = parseResponse("HTTP/1.1 200 OK\r\n\r\nstill going", close: false)
        #expect(!open.isComplete)
        #expect(open.body == "still going")
        let closed = parseResponse("HTTP/1.1 200 OK\r\n\r\nstill going")
        #expect(closed.isComplete)
        #expect(closed.body == "still going")
        #expect(parseResponse("HTTP/1.1 200 OK\r\n\r\n").isComplete)
    }

    @Test func untilCloseBodyAtTheLimitIsAccepted() {
        let limits = HTTPParserLimits(bodyBytes: 4)
        #expect(parseResponse("HTTP/1.1 200 OK\r\n\r\nfour", limits: limits).body == "four")
        #expect(parseResponse("HTTP/1.1 200 OK\r\n\r\nfour", limits: limits, feeding: .byteByByte).body == "four")
        #expect(parseResponse("HTTP/1.1 200 OK\r\n\r\nfive!", limits: limits).error == .contentTooLarge)
    }

    @Test func untilCloseBodyOverTheLimitFailsTheSameWayHoweverItIsSplit() {
        // Found by the fuzzer: the bytes delivered before the error must not depend on the reads.
        let limits = HTTPParserLimits(bodyBytes: 4)
        let whole = parseResponse("HTTP/1.1 200 OK\r\n\r\nfive!", limits: limits)
        #expect(whole.body == "five")
        #expect(whole.error == .contentTooLarge)
        #expect(!whole.isComplete)
        #expect(parseResponse("HTTP/1.1 200 OK\r\n\r\nfive!", limits: limits, feeding: .byteByByte) == whole)
        for seed in UInt64(1)...5 {
            var split = parseResponse(
                "HTTP/1.1 200 OK\r\n\r\nfive!",
                limits: limits,
                feeding: .randomSplits(seed: seed)
            )
            split.leftover = whole.leftover
            #expect(split == whole, "seed \(seed)")
        }
    }

    @Test func transferEncodingRulesAreTheRequestRules() {
        // RFC 9110 §5.6.1: empty list elements are ignored.
        let parsed = parseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: , chunked\r\n\r\n0\r\n\r\n", close: false)
        #expect(parsed.isComplete)
        #expect(
            parseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n").error
                == .invalidTransferEncoding
        )
        #expect(
            parseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n").error
                == .invalidTransferEncoding
        )
    }

    @Test func contentLengthValuesAreCheckedEvenWithoutABody() {
        // RFC 9110 §8.6: the field's syntax is checked as it arrives, even where it cannot frame a body.
        #expect(
            parseResponse("HTTP/1.1 304 Not Modified\r\nContent-Length: x\r\n\r\n").error == .invalidContentLength
        )
    }

    @Test func contentLengthCanBeLargeWithLeadingZeros() {
        let outcome = parseResponse("HTTP/1.1 200 OK\r\nContent-Length: 000000000000000000002\r\n\r\nok")
        #expect(outcome.body == "ok")
        #expect(outcome.isComplete)
    }
}

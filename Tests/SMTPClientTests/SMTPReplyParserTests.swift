import HTTPCore
import Testing

@testable import SMTPClient

@Suite struct SMTPReplyParserTests {
    /// Every reply in `text` and the verdict at the end of the stream, fed in chunks of `chunkSize` bytes.
    private func parse(
        _ text: String,
        limits: SMTPReplyLimits = .default,
        chunkSize: Int = .max
    ) -> (replies: [SMTPReply], error: SMTPParseError.Code?) {
        var parser = SMTPReplyParser(limits: limits)
        var buffer = ByteBuffer()
        var replies: [SMTPReply] = []
        let bytes = Array(text.utf8)
        var offset = 0
        do throws(SMTPParseError) {
            repeat {
                let end = min(offset + chunkSize, bytes.count)
                buffer.append(contentsOf: bytes[offset..<end])
                offset = end
                while let reply = try parser.next(from: &buffer) {
                    replies.append(reply)
                }
            } while offset < bytes.count
            try parser.endOfStream()
            return (replies, nil)
        } catch {
            return (replies, error.code)
        }
    }

    @Test func singleLineGreeting() {
        let result = parse("220 mx.example.com ESMTP Postfix\r\n")
        #expect(result.error == nil)
        #expect(result.replies == [SMTPReply(code: 220, lines: ["mx.example.com ESMTP Postfix"])])
    }

    @Test func multiLineReplyComesOutOnceItsLastLineArrives() {
        let text = "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n"
        for chunkSize in [1, 2, 7, .max] {
            let result = parse(text, chunkSize: chunkSize)
            #expect(result.error == nil)
            #expect(result.replies.map(\.lines) == [["mx.example.com", "PIPELINING", "SIZE 10240000", "STARTTLS"]])
        }
        // Without its last line the reply is not complete, and a close then truncates it.
        #expect(parse("250-mx.example.com\r\n250-PIPELINING\r\n") == ([], .truncatedReply))
    }

    @Test func pipelinedRepliesComeOutOneByOne() {
        let result = parse("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n", chunkSize: 3)
        #expect(result.error == nil)
        #expect(result.replies.map(\.code) == [250, 250, 354])
        #expect(result.replies.map { $0.enhancedStatusCode?.description } == ["2.1.0", "2.1.5", nil])
    }

    @Test func codeWithoutTextIsAReplyWithAnEmptyLine() {
        #expect(parse("221\r\n").replies == [SMTPReply(code: 221, lines: [""])])
        #expect(parse("250-a\r\n250-\r\n250 \r\n").replies == [SMTPReply(code: 250, lines: ["a", "", ""])])
    }

    @Test func continuationLinesMustRepeatTheCode() {
        // RFC 5321 §4.2.1: every line of a multi-line reply carries the same code.
        #expect(parse("250-first\r\n251 second\r\n") == ([], .inconsistentReplyCodes))
        #expect(parse("250-first\r\n550 second\r\n") == ([], .inconsistentReplyCodes))
    }

    @Test func linesAtTheLimitPassAndOneByteMoreFails() {
        let limits = SMTPReplyLimits(lineBytes: 20, lineCount: 3)
        let atLimit = "250 " + String(repeating: "x", count: 16) + "\r\n"
        let overLimit = "250 " + String(repeating: "x", count: 17) + "\r\n"
        for chunkSize in [1, 5, .max] {
            #expect(parse(atLimit, limits: limits, chunkSize: chunkSize).error == nil)
            #expect(parse(overLimit, limits: limits, chunkSize: chunkSize) == ([], .lineTooLong))
        }
        // A line that never ends is refused as soon as it is too long, not when memory runs out.
        var parser = SMTPReplyParser(limits: limits)
        var buffer = ByteBuffer(bytes: Array(("250 " + String(repeating: "y", count: 100)).utf8))
        #expect(throws: SMTPParseError(.lineTooLong)) { try parser.next(from: &buffer) }
    }

    @Test func tooManyLinesInOneReplyFail() {
        let limits = SMTPReplyLimits(lineBytes: 100, lineCount: 3)
        #expect(parse("250-a\r\n250-b\r\n250 c\r\n", limits: limits).error == nil)
        #expect(parse("250-a\r\n250-b\r\n250-c\r\n250 d\r\n", limits: limits) == ([], .tooManyLines))
    }

    @Test(arguments: [
        "199 too low\r\n", "600 too high\r\n", "260 second digit above 5\r\n", "2a0 letter\r\n", "22\r\n", "\r\n",
        " 220 leading space\r\n", "-250 dash\r\n",
    ])
    func badCodesFail(_ line: String) {
        #expect(parse(line).error == .invalidDigits)
    }

    @Test func codeMustBeFollowedBySpaceDashOrTheEnd() {
        #expect(parse("250x\r\n").error == .invalidSeparator)
        #expect(parse("2500 four digits\r\n").error == .invalidSeparator)
        #expect(parse("250\tTab\r\n").error == .invalidSeparator)
    }

    @Test func lineEndsMustBeCRLF() {
        #expect(parse("220 bare line feed\n").error == .bareLineFeed)
        #expect(parse("220 bare\rcarriage return\r\n").error == .invalidText)
    }

    @Test func textAllowsTabAndUTF8ButNoOtherControls() {
        #expect(parse("220 caf\u{E9} \u{1F4E7}\ttab\r\n").replies.first?.lines == ["caf\u{E9} \u{1F4E7}\ttab"])
        #expect(parse("220 nul \u{0}\r\n").error == .invalidText)
        #expect(parse("220 del \u{7F}\r\n").error == .invalidText)
        #expect(parse("220 escape \u{1B}[0m\r\n").error == .invalidText)
    }

    @Test func aFailureIsSticky() {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(bytes: Array("999 no\r\n".utf8))
        #expect(throws: SMTPParseError(.invalidDigits)) { try parser.next(from: &buffer) }
        var fresh = ByteBuffer(bytes: Array("220 fine\r\n".utf8))
        #expect(throws: SMTPParseError(.invalidDigits)) { try parser.next(from: &fresh) }
        #expect(throws: SMTPParseError(.invalidDigits)) { try parser.endOfStream() }
    }

    @Test func cleanCloseBetweenRepliesIsNotAnError() {
        #expect(parse("221 2.0.0 Bye\r\n").error == nil)
        #expect(parse("221 2.0.0 By").error == .truncatedReply)
    }

    @Test func enhancedStatusCodeIsTakenOnlyWhenItMatchesTheReplyClass() {
        let reply = SMTPReply(code: 550, lines: ["5.1.1 <x@example.net>: Recipient address rejected", "5.1.1 more"])
        #expect(reply.enhancedStatusCode == SMTPEnhancedStatusCode(statusClass: 5, subject: 1, detail: 1))
        #expect(reply.text == "<x@example.net>: Recipient address rejected\nmore")
        #expect(reply.description == "550 5.1.1 <x@example.net>: Recipient address rejected / more")
        // RFC 2034 §4: the class must be the reply code's first digit.
        #expect(SMTPReply(code: 250, lines: ["5.1.1 odd"]).enhancedStatusCode == nil)
        // Not followed by a space, or with a fourth digit: not a status code.
        #expect(SMTPReply(code: 550, lines: ["5.1.1234 x"]).enhancedStatusCode == nil)
        #expect(SMTPReply(code: 550, lines: ["5.1.1x"]).enhancedStatusCode == nil)
        #expect(SMTPReply(code: 250, lines: ["2.0.0"]).text == "")
        #expect(SMTPEnhancedStatusCode(parsing: "4.7.0")?.description == "4.7.0")
        #expect(SMTPEnhancedStatusCode(parsing: "3.1.1") == nil)
        #expect(SMTPEnhancedStatusCode(parsing: "5.1000.1") == nil)
    }

    @Test func replyClasses() {
        #expect(SMTPReply(code: 250, lines: []).isPositiveCompletion)
        #expect(SMTPReply(code: 354, lines: []).isPositiveIntermediate)
        #expect(SMTPReply(code: 451, lines: []).isTransientFailure)
        #expect(SMTPReply(code: 550, lines: []).isPermanentFailure)
    }
}

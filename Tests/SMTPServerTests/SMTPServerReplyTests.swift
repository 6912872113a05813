import Testing

@testable import SMTPServer

/// Replies as sent (RFC 5321 §4.2), and what the server does with text a receiver supplies.
@Suite struct SMTPServerReplyTests {
    func text(_ reply: SMTPServerReply) -> String {
        String(decoding: reply.encoded(), as: UTF8.self)
    }

    @Test func singleAndMultiLineReplies() {
        #expect(
            text(SMTPServerReply(code: 550, enhancedCode: "5.1.1", text: "No such recipient"))
                == "550 5.1.1 No such recipient\r\n"
        )
        #expect(text(SMTPServerReply(code: 250, lines: ["a", "b", "c"])) == "250-a\r\n250-b\r\n250 c\r\n")
        #expect(text(SMTPServerReply(code: 250, lines: [])) == "250 \r\n")
    }

    @Test func lineBreaksInTextCannotStartAnotherReply() {
        let reply = SMTPServerReply(code: 550, enhancedCode: "5.1.1", text: "no\r\n250 2.0.0 OK")
        #expect(text(reply) == "550 5.1.1 no  250 2.0.0 OK\r\n")
        #expect(text(SMTPServerReply(code: 451, text: "caf\u{e9}")) == "451 caf??\r\n")
    }

    @Test func longTextIsCutToFiveHundredTwelveOctetsALine() {
        let reply = SMTPServerReply(code: 554, enhancedCode: "5.6.0", text: String(repeating: "x", count: 2000))
        #expect(reply.encoded().count == 512)
    }

    @Test func badCodesAndMismatchedEnhancedCodes() {
        #expect(SMTPServerReply(code: 99, text: "x").code == 451)
        #expect(SMTPServerReply(code: 600, text: "x").code == 451)
        #expect(SMTPServerReply(code: 550, enhancedCode: "4.1.1", text: "x").enhancedCode == nil)
        #expect(SMTPServerReply(code: 550, enhancedCode: "5.1", text: "x").enhancedCode == nil)
        #expect(SMTPServerReply(code: 550, enhancedCode: "5.1000.1", text: "x").enhancedCode == nil)
        #expect(SMTPServerReply(code: 550, enhancedCode: "5.7.26", text: "x").enhancedCode == "5.7.26")
        #expect(SMTPServerReply(code: 452, enhancedCode: "4.5.3", text: "x").isTransient)
        #expect(!SMTPServerReply(code: 250, text: "x").isFailure)
    }

    @Test func queuedIDIsSanitisedLikeAnyText() {
        #expect(SMTPServerReply.queued(id: "a\r\nb").description == "250 2.0.0 OK: queued as a  b")
        #expect(SMTPServerReply.queued(id: "").description == "250 2.0.0 OK: queued")
    }
}

import Testing

@testable import SMTPClient

/// RFC 5321 §4.5.2 (transparency) and §2.3.8 (CRLF only).
@Suite struct SMTPDataEncodingTests {
    private func encode(_ text: String) -> String {
        String(decoding: SMTPDataEncoding.encode(Array(text.utf8)), as: UTF8.self)
    }

    @Test func linesStartingWithADotGetOneMoreDot() {
        #expect(encode("a\r\n.\r\nb\r\n") == "a\r\n..\r\nb\r\n.\r\n")
        #expect(encode(".hidden\r\n..two\r\n") == "..hidden\r\n...two\r\n.\r\n")
        #expect(encode(".") == "..\r\n.\r\n")
    }

    @Test func dotsInsideALineAreLeftAlone() {
        #expect(encode("end. Not a terminator.\r\n") == "end. Not a terminator.\r\n.\r\n")
    }

    @Test func everyLineEndBecomesCRLF() {
        #expect(encode("a\nb\rc\r\nd") == "a\r\nb\r\nc\r\nd\r\n.\r\n")
        #expect(encode("a\n.\n") == "a\r\n..\r\n.\r\n")
        // A bare CR before a dot still starts a line, so the dot is stuffed.
        #expect(encode("a\r.b") == "a\r\n..b\r\n.\r\n")
    }

    @Test func emptyMessageIsJustTheTerminator() {
        #expect(encode("") == ".\r\n")
        #expect(encode("\r\n") == "\r\n.\r\n")
    }
}

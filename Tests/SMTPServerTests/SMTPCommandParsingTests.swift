import Testing

@testable import SMTPServer

/// Command lines (RFC 5321 §4.1.1) into commands, and the refusals of malformed ones.
@Suite struct SMTPCommandParsingTests {
    func parse(_ text: String) -> Result<SMTPCommand, SMTPCommandError> {
        Result { () throws(SMTPCommandError) in try SMTPCommand(parsing: Array(text.utf8)[...]) }
    }

    func command(_ text: String) -> SMTPCommand? {
        try? parse(text).get()
    }

    func error(_ text: String) -> SMTPCommandError.Code? {
        guard case .failure(let error) = parse(text) else { return nil }
        return error.code
    }

    @Test func verbsAndArguments() {
        #expect(command("EHLO mail.example.test") == .ehlo("mail.example.test"))
        #expect(command("helo x  ") == .helo("x"))
        #expect(command("QUIT") == .quit)
        #expect(command("noop hello there") == .noop)
        #expect(command("StartTLS") == .startTLS)
        #expect(command("BDAT 100 LAST") == .notImplemented)
    }

    @Test func mailParameters() {
        let sender = SMTPPath(localPart: "a", domain: "b.test")
        #expect(command("MAIL FROM:<a@b.test>") == .mail(sender, SMTPMailParameters()))
        #expect(
            command("MAIL FROM:<a@b.test> size=42 body=8bitmime")
                == .mail(sender, SMTPMailParameters(size: 42, body: .eightBitMIME))
        )
        #expect(command("MAIL FROM:<a@b.test> BODY=7BIT") == .mail(sender, SMTPMailParameters(body: .sevenBit)))
        #expect(command("MAIL FROM:<> SIZE=99999999999999999999") == .mail(.null, SMTPMailParameters(size: .max)))
        #expect(error("MAIL FROM:<a@b.test> SIZE=1 SIZE=2") == .syntax)
        #expect(error("MAIL FROM:<a@b.test> SIZE") == .syntax)
        #expect(error("MAIL FROM:<a@b.test> SIZE=") == .syntax)
        #expect(error("MAIL FROM:<a@b.test>SIZE=1") == .syntax)
        #expect(error("MAIL FROM:<a@b.test> -X=1") == .syntax)
        #expect(error("MAIL FROM:<a@b.test> AUTH=<>") == .unknownParameter)
        #expect(error("MAIL FROM <a@b.test>") == .syntax)
        #expect(error("MAIL FROM:") == .badSender)
    }

    @Test func recipients() {
        #expect(command("RCPT TO:<r@mx.test>") == .rcpt(SMTPPath(localPart: "r", domain: "mx.test")))
        #expect(error("RCPT TO:<>") == .badRecipient)
        #expect(error("RCPT TO:<r@mx.test> ORCPT=rfc822;r@mx.test") == .unknownParameter)
        #expect(error("RCPT FROM:<r@mx.test>") == .syntax)
    }

    @Test func refusals() {
        #expect(error("") == .unrecognized)
        #expect(error(" EHLO x") == .unrecognized)
        #expect(error("EHLOX x") == .unrecognized)
        #expect(error("DATA x") == .syntax)
        #expect(error("EHLO a\u{1}b") == .syntax)
        #expect(SMTPCommandError(.unrecognized).reply == .unrecognizedCommand)
        #expect(SMTPCommandError(.syntax).description.hasPrefix("SMTPCommandError.syntax: 501 5.5.4"))
    }
}

import Testing

@testable import SMTPServer

/// Paths as RFC 5321 §4.1.2 writes them.
@Suite struct SMTPPathTests {
    func parse(_ text: String, allowsNull: Bool = true) -> SMTPPath? {
        SMTPPath.parse(Array(text.utf8)[...], allowsNull: allowsNull)?.path
    }

    @Test(arguments: [
        ("<tlsrpt@reports.example>", "tlsrpt", "reports.example"),
        ("<First.Last+tag@Mail.Example.COM>", "First.Last+tag", "Mail.Example.COM"),
        ("<\"quoted local\"@example.test>", "\"quoted local\"", "example.test"),
        ("<\"a\\\"b\"@example.test>", "\"a\\\"b\"", "example.test"),
        ("<user@[192.0.2.1]>", "user", "[192.0.2.1]"),
        ("<user@[IPv6:2001:db8::1]>", "user", "[IPv6:2001:db8::1]"),
        ("<@relay.test,@other.test:user@example.test>", "user", "example.test"),
        ("<postmaster>", "postmaster", ""),
    ])
    func validPaths(text: String, localPart: String, domain: String) {
        #expect(parse(text) == SMTPPath(localPart: localPart, domain: domain))
    }

    @Test(arguments: [
        "", "<", "<x", "tlsrpt@example.test", "<tlsrpt@example.test", "<tlsrpt>", "<@example.test>",
        "<.a@example.test>", "<a.@example.test>", "<a..b@example.test>", "<a b@example.test>",
        "<a@-example.test>", "<a@example..test>", "<a@exa_mple.test>", "<a@[]>", "<ü@example.test>",
        "<a@example.test\u{0}>", "<\"unterminated@example.test>", "<@:user@example.test>",
    ])
    func invalidPaths(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func lengthLimits() {
        let local64 = String(repeating: "l", count: 64)
        #expect(parse("<\(local64)@example.test>") != nil)
        #expect(parse("<\(local64)l@example.test>") == nil)
        let label = String(repeating: "d", count: 63)
        #expect(parse("<a@\(label).test>") != nil)
        #expect(parse("<a@\(label)d.test>") == nil)
        // The whole path, brackets included, is at most 256 octets.
        let domain = Array(repeating: String(repeating: "d", count: 60), count: 4).joined(separator: ".")
        #expect(parse("<\(String(repeating: "l", count: 10))@\(domain)>") != nil)
        #expect(parse("<\(local64)@\(domain)>") == nil)
    }

    @Test func nullPathOnlyWhenAllowed() {
        #expect(parse("<>") == .null)
        #expect(parse("<>", allowsNull: false) == nil)
        #expect(SMTPPath.null.isNull)
        #expect(SMTPPath.null.description == "<>")
    }

    @Test func presentation() {
        let path = SMTPPath(localPart: "TLSRPT", domain: "Reports.Example")
        #expect(path.mailbox == "TLSRPT@Reports.Example")
        #expect(path.normalizedDomain == "reports.example")
        #expect(path.description == "<TLSRPT@Reports.Example>")
        #expect(SMTPPath(localPart: "PostMaster", domain: "").isBarePostmaster)
        #expect(SMTPPath(localPart: "PostMaster", domain: "").mailbox == "PostMaster")
    }
}

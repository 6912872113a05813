import Crypto
import Foundation
import Testing

@testable import SMTPClient

/// RFC 5322 headers and line lengths, RFC 2045 transfer encodings, RFC 2047 encoded-words.
@Suite struct SMTPMessageTests {
    private func message(
        subject: String = "Check failed",
        body: String = "Hello.\n",
        to: [String] = ["admin@customer.example"],
        fromName: String? = "MTA-STS alerts"
    ) throws -> SMTPMessage {
        try SMTPMessage(
            from: try SMTPMailbox(try SMTPAddress("alerts@mtasts.example"), displayName: fromName),
            to: try to.map { try SMTPMailbox(try SMTPAddress($0)) },
            subject: subject,
            body: body,
            date: 1_751_362_200,
            messageID: "0123abcd@mtasts.example"
        )
    }

    private func text(_ message: SMTPMessage, allowing8Bit: Bool = true) -> String {
        String(decoding: message.rendered(allowing8Bit: allowing8Bit).bytes, as: UTF8.self)
    }

    /// Every line of a rendered message, without CRLF; fails if a line ends otherwise.
    private func lines(_ message: SMTPMessage, allowing8Bit: Bool = true) -> [Substring] {
        let rendered = text(message, allowing8Bit: allowing8Bit)
        #expect(rendered.hasSuffix("\r\n"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        return rendered.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast()
    }

    @Test func asciiMessageHasEveryHeaderAndA7BitBody() throws {
        let rendered = try message().rendered(allowing8Bit: true)
        #expect(rendered.transferEncoding == .sevenBit)
        #expect(
            String(decoding: rendered.bytes, as: UTF8.self)
                == "Date: Tue, 01 Jul 2025 09:30:00 +0000\r\n"
                + "From: MTA-STS alerts <alerts@mtasts.example>\r\n"
                + "To: <admin@customer.example>\r\n"
                + "Subject: Check failed\r\n"
                + "Message-ID: <0123abcd@mtasts.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "\r\n"
                + "Hello.\r\n"
        )
    }

    @Test func dateHeaderVectors() {
        #expect(SMTPMessage.dateHeaderValue(0) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(SMTPMessage.dateHeaderValue(951_825_600) == "Tue, 29 Feb 2000 12:00:00 +0000")
        #expect(SMTPMessage.dateHeaderValue(4_102_444_799) == "Thu, 31 Dec 2099 23:59:59 +0000")
    }

    @Test func nonASCIIBodyIs8BitWith8BitMIMEAndQuotedPrintableWithout() throws {
        let unicode = try message(body: "Zertifikat l\u{E4}uft ab = bald\n")
        #expect(unicode.rendered(allowing8Bit: true).transferEncoding == .eightBit)
        #expect(text(unicode).hasSuffix("Content-Transfer-Encoding: 8bit\r\n\r\nZertifikat l\u{E4}uft ab = bald\r\n"))
        #expect(unicode.rendered(allowing8Bit: false).transferEncoding == .quotedPrintable)
        #expect(
            text(unicode, allowing8Bit: false).hasSuffix(
                "Content-Transfer-Encoding: quoted-printable\r\n\r\nZertifikat l=C3=A4uft ab =3D bald\r\n"
            )
        )
    }

    @Test func linesLongerThan998OctetsAreQuotedPrintableSoNoLineExceedsTheLimit() throws {
        let long = try message(body: String(repeating: "a", count: 2000) + "\nshort\n")
        #expect(long.rendered(allowing8Bit: true).transferEncoding == .quotedPrintable)
        let all = lines(long)
        #expect(all.allSatisfy { $0.utf8.count <= 998 })
        #expect(all.drop { !$0.isEmpty }.dropFirst().allSatisfy { $0.utf8.count <= 76 })
        #expect(all.contains("short"))
    }

    @Test func nonASCIISubjectAndDisplayNameBecomeEncodedWords() throws {
        let rendered = text(try message(subject: "Zertifikat l\u{E4}uft ab", fromName: "J\u{FC}rgen"))
        #expect(rendered.contains("\r\nSubject: =?utf-8?B?WmVydGlmaWthdCBsw6R1ZnQgYWI=?=\r\n"))
        #expect(rendered.contains("\r\nFrom: =?utf-8?B?SsO8cmdlbg==?= <alerts@mtasts.example>\r\n"))
    }

    @Test func displayNamesWithSpecialsAreQuoted() throws {
        let mailbox = try SMTPMailbox(try SMTPAddress("a@example.test"), displayName: "Ops, \"Team\" \\ Night")
        #expect(mailbox.headerValue == "\"Ops, \\\"Team\\\" \\\\ Night\" <a@example.test>")
        #expect(try SMTPMailbox(try SMTPAddress("a@example.test")).headerValue == "<a@example.test>")
    }

    @Test func longHeadersAreFoldedAtSpacesAndUnfoldBackToTheValue() throws {
        let recipients = (1...12).map { "recipient\($0)@customer.example" }
        let subject = (1...40).map { "word\($0)" }.joined(separator: " ")
        let all = lines(try message(subject: subject, to: recipients))
        #expect(all.allSatisfy { $0.utf8.count <= 78 })
        let header = all.prefix { !$0.isEmpty }.joined(separator: "\r\n")
        let unfolded = header.replacingOccurrences(of: "\r\n ", with: " ")
        #expect(unfolded.contains("\r\nSubject: " + subject + "\r\n"))
        #expect(unfolded.contains("\r\nTo: " + recipients.map { "<\($0)>" }.joined(separator: ", ") + "\r\n"))
    }

    @Test func aLongUnicodeSubjectIsSplitIntoShortEncodedWordsOnCharacterBoundaries() throws {
        let subject = String(repeating: "\u{1F4E7}\u{E4}", count: 40)
        let words = MIMEEncodedWord.encode(subject)
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?utf-8?B?") && $0.hasSuffix("?=") })
        let decoded = words.map { word -> String in
            let base64 = word.dropFirst("=?utf-8?B?".count).dropLast(2)
            return String(validating: Base64.decode(base64) ?? [], as: UTF8.self) ?? "<split character>"
        }
        #expect(decoded.joined() == subject)
        #expect(lines(try message(subject: subject)).allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func controlCharactersThatCouldStartAHeaderAreRefused() throws {
        #expect(throws: SMTPClientError(.invalidMessage, "")) { try message(subject: "x\r\nBcc: evil@example.net") }
        #expect(throws: SMTPClientError(.invalidMessage, "")) { try message(subject: "tab\tinside") }
        #expect(throws: SMTPClientError(.invalidMessage, "")) { try message(fromName: "a\nb") }
        #expect(throws: SMTPClientError(.invalidMessage, "")) { try message(to: []) }
        let address = try SMTPAddress("a@example.test")
        let mailbox = try SMTPMailbox(address)
        #expect(throws: SMTPClientError(.invalidMessage, "")) {
            try SMTPMessage(from: mailbox, to: [mailbox], subject: "", body: "", date: 0, messageID: "no-at-sign")
        }
        #expect(throws: SMTPClientError(.invalidMessage, "")) {
            try SMTPMessage(from: mailbox, to: [mailbox], subject: "", body: "", date: 0, messageID: "a>b@c")
        }
    }

    @Test func generatedMessageIDsAreUniqueAtTheDomain() throws {
        let first = try SMTPMessage.makeMessageID(domain: "mtasts.example")
        let second = try SMTPMessage.makeMessageID(domain: "mtasts.example")
        #expect(first != second)
        #expect(first.hasSuffix("@mtasts.example") && first.count == 32 + "@mtasts.example".count)
    }

    @Test func mailboxSettingsParse() throws {
        #expect(try SMTPMailbox(parsing: "alerts@mtasts.example").headerValue == "<alerts@mtasts.example>")
        #expect(try SMTPMailbox(parsing: " <alerts@mtasts.example> ").headerValue == "<alerts@mtasts.example>")
        let named = try SMTPMailbox(parsing: "\"MTA-STS alerts\" <alerts@mtasts.example>")
        #expect(named.displayName == "MTA-STS alerts")
        #expect(named.address.description == "alerts@mtasts.example")
        #expect(throws: SMTPClientError(.invalidAddress, "")) { try SMTPMailbox(parsing: "MTA-STS <alerts>") }
    }
}

@Suite struct SMTPAddressTests {
    @Test func validAddresses() throws {
        let address = try SMTPAddress("alerts+mx@mtasts.example")
        #expect(address.localPart == "alerts+mx" && address.domain == "mtasts.example")
        #expect(try SMTPAddress("postmaster@[192.0.2.1]").domain == "[192.0.2.1]")
        #expect(try SMTPAddress("j\u{FC}rgen@b\u{FC}cher.example").requiresSMTPUTF8)
        #expect(try !SMTPAddress("a@b.example").requiresSMTPUTF8)
    }

    @Test(arguments: [
        "no-at-sign", "@example.test", "a@", "a b@example.test", "a@example..test", "a@-x.example", "<a>@example.test",
        "a@example.test\r\nRCPT TO:<x@y>", "a@[192.0.2.1", String(repeating: "a", count: 65) + "@example.test",
    ])
    func invalidAddressesAreRefused(_ text: String) {
        #expect(throws: SMTPClientError(.invalidAddress, "")) { try SMTPAddress(text) }
    }
}

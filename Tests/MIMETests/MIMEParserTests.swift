import MIME
import Testing

/// The header section and multipart rules on small hand-written messages.
@Suite struct MIMEParserTests {
    private func parse(_ bytes: [UInt8]) throws -> MIMEEntity {
        try MIMEParser.parse(bytes, limits: .reports)
    }

    @Test func headerSectionAndBody() throws {
        let entity = try parse(crlf("Subject: hello", "X-Empty:", "", "body line", ""))
        #expect(entity.headers.map(\.name) == ["Subject", "X-Empty"])
        #expect(entity.headers.first("x-empty") == "")
        #expect(entity.contentType == .default)
        #expect(entity.transferEncoding == .sevenBit)
        #expect(entity.contentDisposition == nil)
        #expect(entity.filename == nil)
        #expect(Array(entity.body) == Array("body line\r\n".utf8))
        #expect(entity.leaves().count == 1)
    }

    @Test func headerSectionWithoutBody() throws {
        let ended = try parse(crlf("Subject: only headers", ""))
        #expect(ended.headers.first("Subject") == "only headers")
        #expect(ended.body.isEmpty)
        let unterminated = try parse(Array("Subject: no line break".utf8))
        #expect(unterminated.headers.first("Subject") == "no line break")
        #expect(unterminated.body.isEmpty)
        let trailingCR = try parse(Array("Subject: x\r\n\r".utf8))
        #expect(trailingCR.body.isEmpty)
        #expect(try parse([]).headers.isEmpty)
    }

    @Test func messageWithoutHeaders() throws {
        let entity = try parse(crlf("", "just a body"))
        #expect(entity.headers.isEmpty)
        #expect(Array(entity.body) == Array("just a body".utf8))
    }

    @Test func foldedFieldsAreUnfolded() throws {
        let entity = try parse(crlf("Subject: one", " two", "\tthree", "To:", "  a@example.com", "", ""))
        #expect(entity.headers.first("Subject") == "one two\tthree")
        #expect(entity.headers.first("To") == "a@example.com")
    }

    @Test func namesIgnoreCaseAndDuplicatesAreKept() throws {
        let entity = try parse(crlf("received: a", "RECEIVED: b", "Received : c", "", ""))
        #expect(entity.headers.values("Received") == ["a", "b", "c"])
        #expect(entity.headers.first("Received") == "a")
        #expect(entity.headers[2].name == "Received")
    }

    @Test func continuationBeforeAnyFieldIsIgnored() throws {
        let entity = try parse(crlf(" stray", "Subject: s", "", "b"))
        #expect(entity.headers.map(\.name) == ["Subject"])
    }

    @Test func lineThatIsNotAFieldStartsTheBody() throws {
        let entity = try parse(crlf("Subject: s", "this line has no colon", "more"))
        #expect(entity.headers.count == 1)
        #expect(Array(entity.body) == Array("this line has no colon\r\nmore".utf8))
        let part = try parse(crlf("Content-Type: multipart/mixed; boundary=b", "", "--b", "H4sIAAAA", "--b--"))
        #expect(Array(part.parts[0].body) == Array("H4sIAAAA".utf8))
    }

    @Test func envelopeLineIsSkippedOnlyAtTheTop() throws {
        let entity = try parse(Array("From sender@example.org Tue Dec  1 12:00:00 2020\nSubject: s\n\nb".utf8))
        #expect(entity.headers.map(\.name) == ["Subject"])
        let noEnvelope = try parse(Array("From: a@example.org\n\nb".utf8))
        #expect(noEnvelope.headers.first("From") == "a@example.org")
    }

    @Test func headerValuesAreDecodedLeniently() throws {
        let utf8 = try parse(Array("Subject: Rapport agrégé\r\n\r\n".utf8))
        #expect(utf8.headers.first("Subject") == "Rapport agrégé")
        let latin1 = try parse([UInt8]("Subject: caf".utf8) + [0xE9, 0x0D, 0x0A, 0x0D, 0x0A])
        #expect(latin1.headers.first("Subject") == "café")
        let controls = try parse([UInt8]("Subject: a".utf8) + [0x00, 0x1B, 0x0D, 0x62, 0x0A, 0x0A])
        #expect(controls.headers.first("Subject") == "a\u{FFFD}\u{FFFD}\u{FFFD}b")
    }

    @Test func bodyPartsAndTheirBoundaries() throws {
        let entity = try parse(
            crlf(
                "Content-Type: multipart/mixed; boundary=\"b\"",
                "",
                "preamble",
                "--b",
                "Content-Type: text/html",
                "",
                "<p>one</p>",
                "",
                "--b\t ",
                "",
                "two",
                "--b--",
                "epilogue",
                "--b",
                "",
                "not a part"
            )
        )
        #expect(entity.parts.count == 2)
        #expect(entity.parts[0].contentType.mediaType == "text/html")
        // The line break before a delimiter belongs to the delimiter; the blank line before it does not.
        #expect(Array(entity.parts[0].body) == Array("<p>one</p>\r\n".utf8))
        #expect(entity.parts[1].headers.isEmpty)
        #expect(Array(entity.parts[1].body) == Array("two".utf8))
        #expect(Array(entity.body).starts(with: Array("preamble".utf8)))
    }

    @Test func delimitersMustStartALineAndMatchExactly() throws {
        let entity = try parse(
            crlf(
                "Content-Type: multipart/alternative; boundary=abc",
                "",
                "--abc",
                "",
                "x --abc",
                "--abcd",
                "--abc-1",
                " --abc",
                "--abc--"
            )
        )
        #expect(entity.parts.count == 1)
        #expect(Array(entity.parts[0].body) == Array("x --abc\r\n--abcd\r\n--abc-1\r\n --abc".utf8))
    }

    @Test func emptyPartsAndCloseDelimiterWithTrailingText() throws {
        let entity = try parse(
            crlf("Content-Type: multipart/mixed; boundary=b", "", "--b", "--b", "", "x", "--b-- end")
        )
        #expect(entity.parts.count == 2)
        #expect(entity.parts[0].body.isEmpty)
        #expect(entity.parts[0].headers.isEmpty)
        #expect(Array(entity.parts[1].body) == Array("x".utf8))
    }

    @Test func closeDelimiterFirstMeansNoParts() throws {
        let entity = try parse(crlf("Content-Type: multipart/mixed; boundary=b", "", "--b--"))
        #expect(entity.parts.isEmpty)
        #expect(entity.leaves().isEmpty)
    }

    @Test func nestedMultipartsAndLeavesInOrder() throws {
        let entity = try parse(
            crlf(
                "Content-Type: multipart/mixed; boundary=outer",
                "",
                "--outer",
                "Content-Type: multipart/alternative; boundary=inner",
                "",
                "--inner",
                "Content-Type: text/plain",
                "",
                "plain",
                "--inner",
                "Content-Type: text/html",
                "",
                "html",
                "--inner--",
                "--outer",
                "Content-Type: application/gzip",
                "Content-Disposition: attachment; filename=r.json.gz",
                "",
                "gz",
                "--outer--"
            )
        )
        #expect(entity.leaves().map(\.contentType.mediaType) == ["text/plain", "text/html", "application/gzip"])
        #expect(entity.leaves().last?.filename == "r.json.gz")
    }

    @Test func digestPartsDefaultToMessages() throws {
        let entity = try parse(
            crlf(
                "Content-Type: multipart/digest; boundary=d",
                "",
                "--d",
                "",
                "Subject: first",
                "",
                "one",
                "--d",
                "Content-Type: text/plain",
                "",
                "two",
                "--d--"
            )
        )
        #expect(entity.parts[0].contentType == .messageRFC822)
        #expect(entity.parts[0].message?.headers.first("Subject") == "first")
        #expect(entity.parts[1].message == nil)
        #expect(entity.leaves().map { Array($0.body) } == [Array("one".utf8), Array("two".utf8)])
    }

    @Test func encodedEncapsulatedMessageIsDecodedFirst() throws {
        // "Subject: inner\r\n\r\nhello" in base64; RFC 2046 forbids it, some clients send it anyway.
        let entity = try parse(
            crlf(
                "Content-Type: message/rfc822",
                "Content-Transfer-Encoding: base64",
                "",
                "U3ViamVjdDogaW5uZXINCg0KaGVsbG8="
            )
        )
        let inner = try #require(entity.message)
        #expect(inner.headers.first("Subject") == "inner")
        #expect(try inner.decodedBody() == Array("hello".utf8))
        let broken = crlf("Content-Type: message/rfc822", "Content-Transfer-Encoding: base64", "", "!!!")
        #expect(throws: MIMEError(.invalidEncoding, "")) { try MIMEParser.parse(broken, limits: .reports) }
    }

    @Test func invalidContentTypeFallsBackToTextPlain() throws {
        for value in ["", "multipart", "multipart/", "/mixed", "multipart mixed; boundary=b", "\"multipart/mixed\""] {
            let entity = try parse(crlf("Content-Type: \(value)", "", "--b", "", "x", "--b--"))
            #expect(entity.contentType == .default, "\(value)")
            #expect(entity.parts.isEmpty)
        }
    }

    @Test func firstContentTypeWins() throws {
        let entity = try parse(crlf("Content-Type: application/json", "Content-Type: text/html", "", "{}"))
        #expect(entity.contentType.mediaType == "application/json")
    }
}

import MIME
import Testing

/// RFC 2045 §5.1 syntax with the leniency mail needs, and RFC 2231 parameter values.
@Suite struct MIMEContentTypeTests {
    @Test func typeSubtypeAndParameters() throws {
        let type = try #require(MIMEContentType(parsing: "Multipart/Report; Report-Type=TLSRPT; boundary=\"B=1\""))
        #expect(type.type == "multipart")
        #expect(type.subtype == "report")
        #expect(type.mediaType == "multipart/report")
        #expect(type.isMultipart)
        // Names are case-insensitive, values are kept as sent.
        #expect(type.parameters["report-type"] == "TLSRPT")
        #expect(type.parameters["REPORT-TYPE"] == "TLSRPT")
        #expect(type.boundary == "B=1")
        #expect(type.parameters.names == ["boundary", "report-type"])
        #expect(type.description == "multipart/report; boundary; report-type")
    }

    @Test func commentsAndWhitespaceAnywhere() throws {
        let type = try #require(
            MIMEContentType(parsing: "(lead) text (a (nested) comment) / plain ; charset = us-ascii (Plain text)")
        )
        #expect(type.mediaType == "text/plain")
        #expect(type.charset == "us-ascii")
        #expect(type.parameters.count == 1)
    }

    @Test func quotedStringsWithEscapes() throws {
        let type = try #require(
            MIMEContentType(parsing: #"application/octet-stream; name="a \"quoted\" name;.json"; x="unterminated"#)
        )
        #expect(type.parameters["name"] == #"a "quoted" name;.json"#)
        #expect(type.parameters["x"] == "unterminated")
    }

    @Test func unquotedValuesWithSpecials() throws {
        let type = try #require(MIMEContentType(parsing: "multipart/mixed; boundary=----=_Part_0_1.2;x=y"))
        #expect(type.boundary == "----=_Part_0_1.2")
        #expect(type.parameters["x"] == "y")
    }

    @Test func brokenParametersAreSkipped() throws {
        let type = try #require(
            MIMEContentType(parsing: "text/plain; ; junk; =v; novalue=; \"q\"=1; charset=utf-8; trailing;")
        )
        #expect(type.parameters.names == ["charset"])
        #expect(type.charset == "utf-8")
        let junkFirst = try #require(MIMEContentType(parsing: "text/plain junk; charset=x"))
        #expect(junkFirst.charset == "x")
    }

    @Test func firstOfDuplicateParametersWins() throws {
        let type = try #require(MIMEContentType(parsing: "text/plain; charset=a; CHARSET=b"))
        #expect(type.charset == "a")
    }

    @Test func rfc2231ExtendedValue() throws {
        let type = try #require(
            MIMEContentType(parsing: "application/gzip; name*=UTF-8'fr'r%C3%A9sum%C3%A9%21.json.gz; name=fallback")
        )
        #expect(type.parameters["name"] == "résumé!.json.gz")
        let latin1 = try #require(MIMEContentType(parsing: "application/gzip; name*=iso-8859-1''caf%E9"))
        #expect(latin1.parameters["name"] == "café")
        let noCharset = try #require(MIMEContentType(parsing: "application/gzip; name*=a%20b%2"))
        #expect(noCharset.parameters["name"] == "a b%2")
        let invalidUTF8 = try #require(MIMEContentType(parsing: "application/gzip; name*=utf-8''caf%E9"))
        #expect(invalidUTF8.parameters["name"] == "café")
    }

    @Test func rfc2231Continuations() throws {
        let type = try #require(
            MIMEContentType(
                parsing: "application/gzip; name*1=\"two-\"; name*0=\"one-\"; name*2*=%C3%A9; name*4=gap; name=x"
            )
        )
        #expect(type.parameters["name"] == "one-two-é")
        let encoded = try #require(
            MIMEContentType(parsing: "application/gzip; name*0*=utf-8''%C3%A9t; name*1*=%C3%A9; name*1=dup")
        )
        #expect(encoded.parameters["name"] == "été")
        let withoutFirst = try #require(MIMEContentType(parsing: "application/gzip; name*1=b; name=plain"))
        #expect(withoutFirst.parameters["name"] == "plain")
        let badSection = try #require(MIMEContentType(parsing: "application/gzip; name*x=b; name*0001=c"))
        #expect(badSection.parameters["name"] == nil)
    }

    @Test func thousandsOfParametersInOneValue() throws {
        let value = "application/gzip" + (0..<3000).map { "; p\($0)*=a; q*\($0)=b" }.joined()
        let type = try #require(MIMEContentType(parsing: value))
        #expect(type.parameters.count == 3001)
        #expect(type.parameters["p2999"] == "a")
        // Sections 0 to 999 are joined; higher section numbers are ignored.
        #expect(type.parameters["q"] == String(repeating: "b", count: 1000))
    }

    @Test func invalidTypesDoNotParse() {
        for value in ["", "text", "text/", "/plain", "text plain", "te xt/plain", "\"text/plain\"", "text\\/plain"] {
            #expect(MIMEContentType(parsing: value) == nil, "\(value)")
        }
    }

    @Test func defaults() {
        #expect(MIMEContentType.default.mediaType == "text/plain")
        #expect(MIMEContentType.default.charset == "us-ascii")
        #expect(MIMEContentType.messageRFC822.isEncapsulatedMessage)
        #expect(MIMEContentType(type: "Message", subtype: "Global").isEncapsulatedMessage)
        #expect(!MIMEContentType(type: "message", subtype: "delivery-status").isEncapsulatedMessage)
    }

    @Test func contentDisposition() throws {
        let disposition = try #require(
            MIMEContentDisposition(parsing: "Attachment; filename=\"report.json.gz\"; size=290")
        )
        #expect(disposition.type == "attachment")
        #expect(disposition.isAttachment)
        #expect(disposition.filename == "report.json.gz")
        #expect(disposition.parameters["size"] == "290")
        #expect(MIMEContentDisposition(parsing: "inline")?.filename == nil)
        #expect(MIMEContentDisposition(parsing: "; filename=x") == nil)
    }

    @Test func transferEncodingNames() {
        #expect(MIMETransferEncoding(parsing: " Base64 ") == .base64)
        #expect(MIMETransferEncoding(parsing: "QUOTED-PRINTABLE (as usual)") == .quotedPrintable)
        #expect(MIMETransferEncoding(parsing: "") == .sevenBit)
        #expect(MIMETransferEncoding(parsing: "8BIT") == .eightBit)
        #expect(MIMETransferEncoding(parsing: "binary").isIdentity)
        #expect(!MIMETransferEncoding.base64.isIdentity)
        #expect(MIMETransferEncoding(parsing: "x-uue").name == "x-uue")
        #expect(MIMETransferEncoding(parsing: "\"base64\"").name == "\"base64\"")
    }
}

import MIME
import Testing

/// Report mail as real reporters send it (Fixtures/make-fixtures.py), parsed and decoded end to end.
@Suite struct MIMEParserFixtureTests {
    /// The one leaf whose type is `mediaType`.
    private func leaf(_ message: MIMEEntity, _ mediaType: String) throws -> MIMEEntity {
        let matches = message.leaves().filter { $0.contentType.mediaType == mediaType }
        try #require(matches.count == 1)
        return matches[0]
    }

    @Test func googleReport() throws {
        let message = try Fixtures.message("google-tlsrpt.eml")
        #expect(message.contentType.mediaType == "multipart/report")
        #expect(message.contentType.parameters["report-type"] == "tlsrpt")
        #expect(message.headers.first("tls-report-domain") == "example.com")
        #expect(message.headers.first("TLS-REPORT-SUBMITTER") == "google.com")
        #expect(message.headers.values("Received").count == 2)
        #expect(
            message.headers.first("Received")
                == "by 2002:a05:6402:1c8:0:0:0:0 with SMTP id x8csp1234567edr;"
                + "        Tue, 1 Dec 2020 04:11:22 -0800 (PST)"
        )
        #expect(message.parts.map(\.contentType.mediaType) == ["text/plain", "application/tlsrpt+gzip"])
        let text = message.parts[0]
        #expect(text.contentType.charset == "UTF-8")
        #expect(text.contentType.parameters["format"] == "flowed")
        #expect(try text.decodedBody() == Array("This is an aggregate TLS report from google.com\r\n".utf8))
        let report = message.parts[1]
        #expect(report.transferEncoding == .base64)
        #expect(report.contentDisposition?.isAttachment == true)
        #expect(report.filename == "google.com!example.com!1606780800!1606867199!001.json.gz")
        #expect(report.contentType.parameters["name"] == report.filename)
        #expect(try report.decodedBody() == Fixtures.bytes("google.json.gz"))
    }

    @Test func microsoftReport() throws {
        let message = try Fixtures.message("microsoft-tlsrpt.eml")
        #expect(message.contentType.mediaType == "multipart/report")
        #expect(message.contentType.boundary == "_004_DM6PR10MB1234ABCD_")
        #expect(
            message.headers.first("Subject")
                == "Report Domain: example.com Submitter: microsoft.com Report-ID: <133485312000000000+example.com>"
        )
        let text = try leaf(message, "text/plain")
        #expect(text.transferEncoding == .quotedPrintable)
        #expect(
            try text.decodedBody()
                == Array(
                    ("This is an aggregate TLS report from Microsoft. It covers the period from 2020-12-01T00:00:00Z"
                        + " to 2020-12-01T23:59:59Z.\r\n").utf8
                )
        )
        let report = try leaf(message, "application/tlsrpt+gzip")
        #expect(report.filename == "microsoft.com!example.com!1606780800!1606867199.json.gz")
        #expect(report.contentDisposition?.parameters["size"] == "377")
        #expect(report.contentDisposition?.parameters["creation-date"] == "Wed, 02 Dec 2020 10:01:01 GMT")
        #expect(try report.decodedBody() == Fixtures.bytes("microsoft.json.gz"))
    }

    @Test func quotedPrintableJSONReport() throws {
        let message = try Fixtures.message("quoted-printable-json.eml")
        let report = try leaf(message, "application/tlsrpt+json")
        #expect(report.transferEncoding == .quotedPrintable)
        #expect(report.filename == "mx.example.net!example.com!1606780800!1606867199!1.json")
        // The JSON is one line; the line break before the close delimiter belongs to the delimiter.
        #expect(try report.decodedBody() == Fixtures.bytes("report.json"))
    }

    @Test func zipAttachmentInMultipartMixed() throws {
        let message = try Fixtures.message("zip-in-mixed.eml")
        #expect(message.contentType.mediaType == "multipart/mixed")
        #expect(message.contentType.boundary == "simple-boundary")
        let text = message.parts[0]
        #expect(text.contentType.mediaType == "text/plain")
        #expect(text.contentType.parameters.isEmpty)
        let archive = try leaf(message, "application/zip")
        #expect(archive.filename == "report.zip")
        #expect(try archive.decodedBody() == Fixtures.bytes("report.zip"))
    }

    @Test func reportForwardedAsMessageRFC822() throws {
        let message = try Fixtures.message("forwarded-rfc822.eml")
        #expect(message.parts.count == 2)
        let attachment = message.parts[1]
        #expect(attachment.contentType.isEncapsulatedMessage)
        #expect(attachment.filename == "report.eml")
        #expect(attachment.parts.isEmpty)
        let inner = try #require(attachment.message)
        #expect(inner.headers.first("TLS-Report-Submitter") == "google.com")
        #expect(inner.contentType.parameters["report-type"] == "tlsrpt")
        #expect(
            message.leaves().map(\.contentType.mediaType) == ["text/plain", "text/plain", "application/tlsrpt+gzip"]
        )
        let report = try leaf(message, "application/tlsrpt+gzip")
        #expect(report.filename == "google.com!example.com!1606780800!1606867199!001.json.gz")
        #expect(try report.decodedBody() == Fixtures.bytes("google.json.gz"))
    }

    @Test func bareLineFeedsAndEnvelopeLine() throws {
        let message = try Fixtures.message("lf-only.eml")
        #expect(message.headers.first("Delivered-To") == "tlsrpt@example.com")
        #expect(!message.headers.contains("From noreply-smtp-tls-reporting@google.com"))
        #expect(message.headers.count == (try Fixtures.message("google-tlsrpt.eml")).headers.count)
        #expect(try message.parts[0].decodedBody() == Array("This is an aggregate TLS report from google.com\n".utf8))
        let report = try leaf(message, "application/tlsrpt+gzip")
        #expect(report.filename == "google.com!example.com!1606780800!1606867199!001.json.gz")
        #expect(try report.decodedBody() == Fixtures.bytes("google.json.gz"))
    }

    @Test func rfc2231FoldedHeadersPreambleEpilogueAndPaddedDelimiters() throws {
        let message = try Fixtures.message("rfc2231-folded.eml")
        #expect(message.headers.first("From") == "\"Example Org TLS Reporting\" <tlsrpt@mx.example.org>")
        #expect(
            message.headers.first("Subject")
                == "Report Domain: example.com Submitter: example.org Report-ID: <5fc6b2d5.1c69fb81@example.org>"
        )
        #expect(message.contentType.boundary == "----=_Part_0_1234567.1606824005000")
        #expect(message.parts.count == 2)
        let text = message.parts[0]
        #expect(text.contentType.charset == "UTF-8")
        #expect(text.transferEncoding == .eightBit)
        #expect(try text.decodedBody() == Array("Rapport agrégé TLS pour example.com.".utf8))
        let report = message.parts[1]
        // The RFC 2231 form wins over the ASCII fallback given as plain `filename`.
        #expect(report.filename == "example.org!example.com!1606780800!1606867199!résumé.json.gz")
        #expect(report.contentType.parameters["name"] == report.filename)
        #expect(try report.decodedBody() == Fixtures.bytes("resume.json.gz"))
        // The epilogue, with a second close delimiter in it, is not a part.
        #expect(message.leaves().count == 2)
    }

    @Test func messageFromPythonsEmailPackage() throws {
        let message = try Fixtures.message("python-email.eml")
        #expect(message.contentType.mediaType == "multipart/report")
        #expect(message.contentType.parameters["report-type"] == "tlsrpt")
        #expect(
            message.headers.first("Subject")
                == "Report Domain: example.com Submitter: example.net Report-ID: <python-2020-12-01@example.net>"
        )
        let report = try leaf(message, "application/tlsrpt+gzip")
        #expect(report.headers.first("MIME-Version") == "1.0")
        #expect(report.filename == "example.net!example.com!1606780800!1606867199!rapport-été.json.gz")
        #expect(try report.decodedBody() == Fixtures.bytes("python.json.gz"))
    }

    @Test(arguments: Fixtures.messages)
    func everyLeafDecodes(_ name: String) throws {
        let message = try Fixtures.message(name)
        for leaf in message.leaves() {
            _ = try leaf.decodedBody()
        }
    }
}

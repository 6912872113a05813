import MIME
import Testing

/// Hostile input: every limit refuses what passes it, early, and nothing a truncated message can do traps.
@Suite struct MIMEParserLimitTests {
    /// `depth` multiparts, each the only part of the one above it, around a text part.
    private func nested(depth: Int) -> [UInt8] {
        var message = "Content-Type: text/plain\r\n\r\ninnermost\r\n"
        for level in 0..<depth {
            message =
                "Content-Type: multipart/mixed; boundary=b\(level)\r\n\r\n--b\(level)\r\n\(message)--b\(level)--\r\n"
        }
        return Array(message.utf8)
    }

    @Test func nestingToTheLimitIsAccepted() throws {
        var entity = try MIMEParser.parse(nested(depth: 8), limits: .reports)
        for _ in 0..<8 { entity = try #require(entity.parts.first) }
        #expect(try entity.decodedBody() == Array("innermost".utf8))
    }

    @Test func fiftyLevelsOfNestingAreTooDeep() {
        #expect(throws: MIMEError(.tooDeep, "")) { try MIMEParser.parse(nested(depth: 9), limits: .reports) }
        #expect(throws: MIMEError(.tooDeep, "")) { try MIMEParser.parse(nested(depth: 50), limits: .reports) }
    }

    @Test func encapsulatedMessagesCountTowardsDepth() {
        var message = "Subject: innermost\r\n\r\nbody\r\n"
        for _ in 0..<50 { message = "Content-Type: message/rfc822\r\n\r\n" + message }
        #expect(throws: MIMEError(.tooDeep, "")) { try MIMEParser.parse(Array(message.utf8), limits: .reports) }
    }

    @Test func tenThousandPartsAreTooMany() {
        var message = "Content-Type: multipart/mixed; boundary=p\r\n\r\n"
        for _ in 0..<10_000 { message += "--p\r\n\r\nx\r\n" }
        message += "--p--\r\n"
        let error = #expect(throws: MIMEError.self) { try MIMEParser.parse(Array(message.utf8), limits: .reports) }
        #expect(error?.code == .tooManyParts)
        #expect(error?.message == "message has more than 100 parts")
    }

    @Test func partsAtEveryDepthCountTogether() throws {
        let inner = "Content-Type: multipart/mixed; boundary=i\r\n\r\n--i\r\n\r\na\r\n--i\r\n\r\nb\r\n--i--"
        let message = "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\n\(inner)\r\n--o\r\n\(inner)\r\n--o--\r\n"
        // Two inner multiparts with two parts each: 2 + 4 = 6 entities below the top.
        #expect(try MIMEParser.parse(Array(message.utf8), limits: MIMELimits(partCount: 6)).leaves().count == 4)
        let error = #expect(throws: MIMEError.self) {
            try MIMEParser.parse(Array(message.utf8), limits: MIMELimits(partCount: 5))
        }
        #expect(error?.code == .tooManyParts)
    }

    @Test func oneMebibyteHeaderLineIsTooLarge() {
        let message =
            Array("Subject: ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
            + Array("\r\n\r\nbody".utf8)
        let error = #expect(throws: MIMEError.self) { try MIMEParser.parse(message, limits: .reports) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "header section exceeds the limit of 65536 bytes")
    }

    @Test func headerSectionThatNeverEndsIsTooLarge() {
        let message = Array(String(repeating: "X-Filler: 0123456789\r\n", count: 4000).utf8)
        let limits = MIMELimits(headerFieldCount: 10_000)
        #expect(throws: MIMEError(.tooLarge, "")) { try MIMEParser.parse(message, limits: limits) }
    }

    @Test func partHeaderSectionsHaveTheirOwnBudget() {
        let big = "X-Big: " + String(repeating: "b", count: 70_000)
        let message = crlf("Content-Type: multipart/mixed; boundary=z", "", "--z", big, "", "x", "--z--", "")
        #expect(throws: MIMEError(.tooLarge, "")) { try MIMEParser.parse(message, limits: .reports) }
    }

    @Test func tooManyHeaderFields() throws {
        let fields = String(repeating: "X-A: 1\r\n", count: 201)
        let error = #expect(throws: MIMEError.self) {
            try MIMEParser.parse(Array((fields + "\r\nbody").utf8), limits: .reports)
        }
        #expect(error?.code == .tooManyFields)
        let fitting = String(repeating: "X-A: 1\r\n", count: 200)
        #expect(try MIMEParser.parse(Array((fitting + "\r\nbody").utf8), limits: .reports).headers.count == 200)
    }

    @Test func messageLargerThanTheLimitIsRefusedBeforeParsing() {
        let message = [UInt8](repeating: UInt8(ascii: "x"), count: 1025)
        let error = #expect(throws: MIMEError.self) {
            try MIMEParser.parse(message, limits: MIMELimits(messageBytes: 1024))
        }
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "message of 1025 bytes exceeds the limit of 1024 bytes")
    }

    @Test func decodedBodyLargerThanTheLimit() throws {
        let limits = MIMELimits(decodedBytesPerPart: 5)
        let base64 = try MIMEParser.parse(
            crlf("Content-Transfer-Encoding: base64", "", "aGVsbG8gd29ybGQ="),
            limits: limits
        )
        #expect(throws: MIMEError(.tooLarge, "")) { try base64.decodedBody() }
        let plain = try MIMEParser.parse(crlf("", "hello world"), limits: limits)
        #expect(throws: MIMEError(.tooLarge, "")) { try plain.decodedBody() }
        let quoted = try MIMEParser.parse(
            crlf("Content-Transfer-Encoding: quoted-printable", "", "hello=20world"),
            limits: limits
        )
        #expect(throws: MIMEError(.tooLarge, "")) { try quoted.decodedBody() }
        let fits = try MIMEParser.parse(crlf("Content-Transfer-Encoding: base64", "", "aGVsbG8="), limits: limits)
        #expect(try fits.decodedBody() == Array("hello".utf8))
    }

    @Test func multipartWithoutBoundaryParameterIsMalformed() {
        let message = crlf("Content-Type: multipart/report; report-type=tlsrpt", "", "--b", "", "x", "--b--", "")
        let error = #expect(throws: MIMEError.self) { try MIMEParser.parse(message, limits: .reports) }
        #expect(error?.code == .malformed)
        #expect(error?.message == "multipart entity without a boundary parameter")
    }

    @Test func boundaryLongerThanSeventyCharactersIsMalformed() throws {
        let long = String(repeating: "b", count: 71)
        let message = crlf("Content-Type: multipart/mixed; boundary=\(long)", "", "--\(long)", "", "x", "--\(long)--")
        #expect(throws: MIMEError(.malformed, "")) { try MIMEParser.parse(message, limits: .reports) }
        let seventy = String(long.dropLast())
        let fits = crlf("Content-Type: multipart/mixed; boundary=\(seventy)", "", "--\(seventy)", "", "x")
        #expect(try MIMEParser.parse(fits, limits: .reports).parts.count == 1)
        let empty = crlf("Content-Type: multipart/mixed; boundary=\"\"", "", "--", "", "x")
        #expect(throws: MIMEError(.malformed, "")) { try MIMEParser.parse(empty, limits: .reports) }
    }

    @Test func multipartWithoutAnyDelimiterIsMalformed() {
        let message = crlf("Content-Type: multipart/mixed; boundary=b", "", "no parts here", "--c", "--b-not")
        #expect(throws: MIMEError(.malformed, "")) { try MIMEParser.parse(message, limits: .reports) }
    }

    @Test func unterminatedMultipartEndsAtTheEndOfInput() throws {
        let message = crlf(
            "Content-Type: multipart/mixed; boundary=b",
            "",
            "--b",
            "",
            "first",
            "--b",
            "Content-Type: application/json",
            "",
            "{\"a\":1}",
            ""
        )
        let entity = try MIMEParser.parse(message, limits: .reports)
        #expect(entity.parts.count == 2)
        #expect(entity.parts[1].contentType.mediaType == "application/json")
        #expect(try entity.parts[1].decodedBody() == Array("{\"a\":1}\r\n".utf8))
    }

    @Test func invalidBase64IsInvalidEncoding() throws {
        let message = crlf(
            "Content-Type: multipart/report; report-type=tlsrpt; boundary=b",
            "",
            "--b",
            "Content-Type: application/tlsrpt+gzip",
            "Content-Transfer-Encoding: base64",
            "",
            "H4sI*AAA",
            "--b--"
        )
        let entity = try MIMEParser.parse(message, limits: .reports)
        let error = #expect(throws: MIMEError.self) { try entity.parts[0].decodedBody() }
        #expect(error?.code == .invalidEncoding)
        #expect(error?.message == "base64 body has a byte outside the base64 alphabet at offset 4")
    }

    @Test func unknownTransferEncodingFailsOnlyWhenDecoding() throws {
        let entity = try MIMEParser.parse(crlf("Content-Transfer-Encoding: x-uuencode", "", "begin"), limits: .reports)
        #expect(entity.transferEncoding.name == "x-uuencode")
        #expect(throws: MIMEError(.unsupportedEncoding, "")) { try entity.decodedBody() }
    }

    @Test(arguments: Fixtures.messages)
    func everyPrefixOfAFixtureParsesOrFailsCleanly(_ name: String) throws {
        let bytes = try Fixtures.bytes(name)
        var parsed = 0
        for length in 0...bytes.count {
            do {
                let entity = try MIMEParser.parse(Array(bytes[..<length]), limits: .reports)
                parsed += 1
                for leaf in entity.leaves() { _ = try? leaf.decodedBody() }
            } catch {
                #expect(error.code == .malformed, "prefix of \(length) bytes: \(error)")
            }
        }
        #expect(parsed > bytes.count / 2)
    }
}

import MIME
import Testing

@Suite struct MIMEErrorTests {
    @Test func equalityComparesCodesOnly() {
        #expect(MIMEError(.tooDeep, "one") == MIMEError(.tooDeep, "two"))
        #expect(MIMEError(.tooDeep, "one") != MIMEError(.tooManyParts, "one"))
    }

    @Test func descriptionsNameTheCodeAndTheLocation() {
        let error = MIMEError(.malformed, "multipart entity without a boundary parameter")
        #expect(error.description == "MIMEError.malformed: multipart entity without a boundary parameter")
        #expect(error.debugDescription.hasPrefix(error.description + " at MIMETests/MIMEErrorTests.swift:"))
    }

    @Test func messagesCarryNoMessageBytes() throws {
        let secret = "SECRET-TOKEN-1234"
        let inputs = [
            crlf("Content-Type: multipart/mixed; x=\(secret)", "", "--\(secret)"),
            crlf("Content-Type: multipart/mixed; boundary=\(secret)", "", secret),
            crlf("Subject: \(secret)\(String(repeating: "x", count: 70_000))"),
        ]
        for input in inputs {
            let error = try #require(#expect(throws: MIMEError.self) { try MIMEParser.parse(input, limits: .reports) })
            #expect(!error.description.contains(secret))
        }
        let entity = try MIMEParser.parse(crlf("Content-Transfer-Encoding: base64", "", "\(secret)!"), limits: .reports)
        let error = try #require(#expect(throws: MIMEError.self) { try entity.decodedBody() })
        #expect(!error.description.contains(secret))
    }
}

import Testing

@testable import SMTPClient

@Suite struct SMTPServerExtensionsTests {
    private func extensions(_ lines: [String]) -> SMTPServerExtensions {
        SMTPServerExtensions(ehloReply: SMTPReply(code: 250, lines: lines))
    }

    @Test func postfixEHLOReply() {
        let found = extensions([
            "mx.example.com", "PIPELINING", "SIZE 10240000", "VRFY", "ETRN", "STARTTLS", "ENHANCEDSTATUSCODES",
            "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING",
        ])
        #expect(found.domain == "mx.example.com")
        #expect(found.supportsSTARTTLS && found.supportsPipelining && found.supports8BitMIME)
        #expect(found.supportsSMTPUTF8 && found.supportsEnhancedStatusCodes)
        #expect(found.maximumMessageSize == 10_240_000)
        #expect(found.authenticationMechanisms.isEmpty)
        #expect(found.ignoredLines.isEmpty)
    }

    @Test func keywordsCompareCaseInsensitively() {
        let found = extensions(["relay.example Hello", "starttls", "Auth login plain"])
        #expect(found.supportsSTARTTLS)
        #expect(found.supports("StartTLS"))
        #expect(found.authenticationMechanisms == ["LOGIN", "PLAIN"])
        #expect(found.domain == "relay.example")
    }

    @Test func legacyAuthEqualsFormIsReadAsAuth() {
        let found = extensions(["relay", "AUTH=LOGIN PLAIN", "AUTH LOGIN CRAM-MD5"])
        #expect(found.authenticationMechanisms == ["LOGIN", "PLAIN", "CRAM-MD5"])
    }

    @Test func sizeWithoutANumberOrZeroMeansNoLimit() {
        #expect(extensions(["x", "SIZE"]).maximumMessageSize == nil)
        #expect(extensions(["x", "SIZE 0"]).maximumMessageSize == nil)
        #expect(extensions(["x", "SIZE 12k"]).maximumMessageSize == nil)
        #expect(extensions(["x", "SIZE 12k"]).supports("SIZE"))
    }

    @Test func malformedLinesAreKeptApartWithoutHidingOthers() {
        let found = extensions(["x", "-BAD", "TWO  SPACES", "CTRL \u{1}", "STARTTLS"])
        #expect(found.ignoredLines == ["-BAD", "TWO  SPACES", "CTRL \u{1}"])
        #expect(found.supportsSTARTTLS)
    }
}

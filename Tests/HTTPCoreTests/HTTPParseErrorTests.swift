import HTTPCore
import Testing

@Suite struct HTTPParseErrorTests {
    @Test func statusFollowsCode() {
        #expect(HTTPParseError(.requestLineTooLong).status == .uriTooLong)
        #expect(HTTPParseError(.headerSectionTooLarge).status == .requestHeaderFieldsTooLarge)
        #expect(HTTPParseError(.tooManyFields).status == .requestHeaderFieldsTooLarge)
        #expect(HTTPParseError(.contentTooLarge).status == .contentTooLarge)
        #expect(HTTPParseError(.unsupportedVersion).status == .httpVersionNotSupported)
        #expect(HTTPParseError(.unsupportedTransferCoding).status == .notImplemented)
        #expect(HTTPParseError(.bareLineFeed).status == .badRequest)
    }

    @Test func responseOnlyCodesMapToBadGateway() {
        let codes: [HTTPParseError.Code] = [
            .statusLineTooLong, .invalidStatusLine, .invalidStatus, .invalidReasonPhrase,
            .unexpectedInterimResponse, .missingResponse, .truncatedMessage,
        ]
        for code in codes {
            #expect(HTTPParseError(code).status == .badGateway, "\(code)")
            #expect(HTTPParseError(code).message != "malformed message", "\(code)")
        }
    }

    @Test func messagesNameNoDirectionForSharedRules() {
        #expect(HTTPParseError(.contentTooLarge).message == "body too large")
        #expect(HTTPParseError(.transferEncodingInHTTP10).message == "Transfer-Encoding in an HTTP/1.0 message")
        #expect(HTTPParseError(.whitespaceAfterStartLine).message == "whitespace between start line and first field")
    }

    @Test func equalityIgnoresLocation() {
        #expect(HTTPParseError(.invalidHost, file: "a", line: 1) == HTTPParseError(.invalidHost, file: "b", line: 2))
        #expect(HTTPParseError(.invalidHost) != HTTPParseError(.missingHost))
    }

    @Test func descriptionIsSafeToLog() {
        let outcome = parseRequests("GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer secret\u{1}\r\n\r\n")
        #expect(outcome.error == .invalidFieldValue)
        let error = HTTPParseError(.invalidFieldValue)
        #expect(error.description == "HTTPParseError.invalidFieldValue (400): control character in field value")
        #expect(!error.description.contains("secret"))
        #expect(error.debugDescription.contains("HTTPParseErrorTests.swift"))
    }
}

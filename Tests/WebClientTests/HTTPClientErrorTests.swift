import HTTPCore
import Testing

@testable import WebClient

/// How the client reports what HTTPCore's response parser throws.
@Suite struct HTTPClientErrorTests {
    @Test func overLimitBodyIsBodyTooLarge() {
        let error = HTTPClientError(parsing: HTTPParseError(.contentTooLarge), maximumBodyBytes: 1000)
        #expect(error.code == .bodyTooLarge)
        #expect(error.message == "response body exceeds 1000 bytes")
        #expect(error.underlying as? HTTPParseError == HTTPParseError(.contentTooLarge))
    }

    @Test func everyOtherParseFailureIsMalformedResponse() {
        let codes: [HTTPParseError.Code] = [
            .bareLineFeed, .invalidVersion, .unsupportedVersion, .statusLineTooLong, .invalidStatusLine,
            .invalidStatus, .invalidReasonPhrase, .whitespaceAfterStartLine, .obsoleteLineFolding,
            .invalidFieldLine, .invalidFieldName, .whitespaceBeforeColon, .invalidFieldValue,
            .headerSectionTooLarge, .tooManyFields, .contentLengthWithTransferEncoding, .invalidContentLength,
            .conflictingContentLength, .invalidTransferEncoding, .unsupportedTransferCoding,
            .transferEncodingInHTTP10, .invalidChunkSize, .chunkLineTooLong, .invalidChunkExtension,
            .invalidChunkTerminator, .unexpectedInterimResponse, .missingResponse, .truncatedMessage,
        ]
        for code in codes {
            let error = HTTPClientError(parsing: HTTPParseError(code), maximumBodyBytes: 1000)
            #expect(error.code == .malformedResponse, "\(code)")
            #expect(error.message == "malformed response: \(HTTPParseError(code).message)")
        }
    }

    @Test func descriptionStaysSafeToLog() {
        let error = HTTPClientError(parsing: HTTPParseError(.invalidFieldValue), maximumBodyBytes: 1000)
        #expect(
            error.description
                == "HTTPClientError.malformedResponse: malformed response: control character in field value"
        )
        #expect(error.debugDescription.contains("HTTPParseError.invalidFieldValue"))
    }
}

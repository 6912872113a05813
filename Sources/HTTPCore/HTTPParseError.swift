/// Why a request or a response could not be parsed, and which status a server should answer with before
/// closing.
///
/// ``HTTPRequestParser``, ``HTTPResponseParser`` and the chunked decoder they share all throw it; a rule that
/// applies in both directions (bare LF, field syntax, framing, chunked coding, limits) has one code. Equality
/// compares ``code`` only. ``description`` never contains message bytes, so it is safe to log;
/// ``debugDescription`` adds the source location.
///
/// ```swift
/// do { event = try parser.next(from: &buffer) } catch {
///     respond(error.status); close()      // error.code == .bareLineFeed, …
/// }
/// ```
package struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure; a closed set with one static member per rule.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case bareLineFeed, tooManyLeadingEmptyLines, invalidRequestLine, invalidMethod, invalidRequestTarget
            case invalidVersion, unsupportedVersion, requestLineTooLong
            case whitespaceAfterStartLine, obsoleteLineFolding, invalidFieldLine, invalidFieldName
            case whitespaceBeforeColon, invalidFieldValue, headerSectionTooLarge, tooManyFields
            case missingHost, multipleHosts, invalidHost
            case contentLengthWithTransferEncoding, invalidContentLength, conflictingContentLength
            case invalidTransferEncoding, unsupportedTransferCoding, transferEncodingInHTTP10
            case invalidChunkSize, chunkLineTooLong, invalidChunkExtension, invalidChunkTerminator
            case contentTooLarge
            case statusLineTooLong, invalidStatusLine, invalidStatus, invalidReasonPhrase
            case unexpectedInterimResponse, missingResponse, truncatedMessage
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A line ended with LF alone (RFC 9112 §2.2).
        package static let bareLineFeed = Code(.bareLineFeed)
        /// More empty lines before the request line than the parser skips (RFC 9112 §2.2).
        package static let tooManyLeadingEmptyLines = Code(.tooManyLeadingEmptyLines)
        /// The request line is not `method SP request-target SP HTTP-version` (RFC 9112 §3).
        package static let invalidRequestLine = Code(.invalidRequestLine)
        /// The method is not a token (RFC 9112 §3.1).
        package static let invalidMethod = Code(.invalidMethod)
        /// The request-target has a forbidden byte or form (RFC 9112 §3.2).
        package static let invalidRequestTarget = Code(.invalidRequestTarget)
        /// The HTTP-version is malformed (RFC 9112 §2.3).
        package static let invalidVersion = Code(.invalidVersion)
        /// A well-formed version other than HTTP/1.0 or HTTP/1.1.
        package static let unsupportedVersion = Code(.unsupportedVersion)
        /// The request line exceeds ``HTTPParserLimits/requestLineBytes``.
        package static let requestLineTooLong = Code(.requestLineTooLong)
        /// Whitespace between the start line and the first field line (RFC 9112 §2.2).
        package static let whitespaceAfterStartLine = Code(.whitespaceAfterStartLine)
        /// A field line continued with obs-fold (RFC 9112 §5.2).
        package static let obsoleteLineFolding = Code(.obsoleteLineFolding)
        /// A field line without a colon (RFC 9112 §5).
        package static let invalidFieldLine = Code(.invalidFieldLine)
        /// A field name that is empty or not a token (RFC 9110 §5.1).
        package static let invalidFieldName = Code(.invalidFieldName)
        /// Whitespace between a field name and its colon (RFC 9112 §5.1).
        package static let whitespaceBeforeColon = Code(.whitespaceBeforeColon)
        /// A control byte other than HTAB in a field value (RFC 9110 §5.5).
        package static let invalidFieldValue = Code(.invalidFieldValue)
        /// The header (or trailer) section exceeds ``HTTPParserLimits/headerBytes``.
        package static let headerSectionTooLarge = Code(.headerSectionTooLarge)
        /// More field lines than ``HTTPParserLimits/headerCount``.
        package static let tooManyFields = Code(.tooManyFields)
        /// An HTTP/1.1 request without Host (RFC 9112 §3.2).
        package static let missingHost = Code(.missingHost)
        /// More than one Host field line (RFC 9112 §3.2).
        package static let multipleHosts = Code(.multipleHosts)
        /// A Host value that is not `uri-host [ ":" port ]` (RFC 9112 §3.2).
        package static let invalidHost = Code(.invalidHost)
        /// Both Content-Length and Transfer-Encoding (RFC 9112 §6.1, §6.3).
        package static let contentLengthWithTransferEncoding = Code(.contentLengthWithTransferEncoding)
        /// A Content-Length that is not 1*DIGIT or does not fit (RFC 9112 §6.3, RFC 9110 §8.6).
        package static let invalidContentLength = Code(.invalidContentLength)
        /// Content-Length values that differ (RFC 9112 §6.3).
        package static let conflictingContentLength = Code(.conflictingContentLength)
        /// chunked is missing as the final coding or applied twice (RFC 9112 §6.3, §7).
        package static let invalidTransferEncoding = Code(.invalidTransferEncoding)
        /// A transfer coding other than chunked (RFC 9112 §6.1): answered with 501.
        package static let unsupportedTransferCoding = Code(.unsupportedTransferCoding)
        /// Transfer-Encoding in an HTTP/1.0 message, whose framing is then faulty (RFC 9112 §6.1).
        package static let transferEncodingInHTTP10 = Code(.transferEncodingInHTTP10)
        /// A chunk size that is not hex or does not fit in 64 bits (RFC 9112 §7.1).
        package static let invalidChunkSize = Code(.invalidChunkSize)
        /// A chunk-size line longer than the parser accepts.
        package static let chunkLineTooLong = Code(.chunkLineTooLong)
        /// A chunk extension with a control byte (RFC 9112 §7.1.1).
        package static let invalidChunkExtension = Code(.invalidChunkExtension)
        /// Chunk data not followed by CRLF (RFC 9112 §7.1).
        package static let invalidChunkTerminator = Code(.invalidChunkTerminator)
        /// The body exceeds ``HTTPParserLimits/bodyBytes``.
        package static let contentTooLarge = Code(.contentTooLarge)
        /// The status line exceeds ``HTTPParserLimits/statusLineBytes``.
        package static let statusLineTooLong = Code(.statusLineTooLong)
        /// The status line is not `HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4).
        package static let invalidStatusLine = Code(.invalidStatusLine)
        /// The status code is not three digits from 100 to 999 (RFC 9112 §4, RFC 9110 §15).
        package static let invalidStatus = Code(.invalidStatus)
        /// A control byte other than HTAB in the reason phrase (RFC 9112 §4).
        package static let invalidReasonPhrase = Code(.invalidReasonPhrase)
        /// A 101 (Switching Protocols) that was never asked for, or more interim responses than the parser
        /// skips (RFC 9110 §15.2).
        package static let unexpectedInterimResponse = Code(.unexpectedInterimResponse)
        /// The connection closed before any byte of a response arrived.
        package static let missingResponse = Code(.missingResponse)
        /// The connection closed before the message was complete (RFC 9112 §8).
        package static let truncatedMessage = Code(.truncatedMessage)

        /// The status a server should answer with; for the codes only a response can raise, the 502 a gateway
        /// answers with when the response it received is invalid (RFC 9110 §15.6.3).
        package var status: HTTPStatus {
            switch base {
            case .unsupportedVersion: .httpVersionNotSupported
            case .requestLineTooLong: .uriTooLong
            case .headerSectionTooLarge, .tooManyFields: .requestHeaderFieldsTooLarge
            case .unsupportedTransferCoding: .notImplemented
            case .contentTooLarge: .contentTooLarge
            case .statusLineTooLong, .invalidStatusLine, .invalidStatus, .invalidReasonPhrase,
                .unexpectedInterimResponse, .missingResponse, .truncatedMessage:
                .badGateway
            default: .badRequest
            }
        }

        /// The case name, e.g. `bareLineFeed`.
        package var description: String { base.rawValue }
    }

    /// The kind of failure.
    package let code: Code
    /// Where the error was raised (`#fileID`).
    package let file: String
    /// Where the error was raised (`#line`).
    package let line: Int

    /// Creates an error for `code`, recording the caller's location.
    package init(_ code: Code, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.file = file
        self.line = line
    }

    /// The status a server should answer with before closing the connection.
    package var status: HTTPStatus { code.status }

    /// A short explanation, free of message data.
    package var message: String {
        switch code {
        case .bareLineFeed: "line terminated by a bare LF"
        case .tooManyLeadingEmptyLines: "too many empty lines before the request line"
        case .invalidRequestLine: "malformed request line"
        case .invalidMethod: "method is not a token"
        case .invalidRequestTarget: "invalid request-target"
        case .invalidVersion: "malformed HTTP version"
        case .unsupportedVersion: "HTTP version not supported"
        case .requestLineTooLong: "request line too long"
        case .whitespaceAfterStartLine: "whitespace between start line and first field"
        case .obsoleteLineFolding: "obsolete line folding"
        case .invalidFieldLine: "field line without colon"
        case .invalidFieldName: "invalid field name"
        case .whitespaceBeforeColon: "whitespace between field name and colon"
        case .invalidFieldValue: "control character in field value"
        case .headerSectionTooLarge: "header section too large"
        case .tooManyFields: "too many header fields"
        case .missingHost: "HTTP/1.1 request without Host"
        case .multipleHosts: "more than one Host field"
        case .invalidHost: "invalid Host value"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding"
        case .invalidContentLength: "invalid Content-Length"
        case .conflictingContentLength: "conflicting Content-Length values"
        case .invalidTransferEncoding: "chunked is not the final transfer coding exactly once"
        case .unsupportedTransferCoding: "unsupported transfer coding"
        case .transferEncodingInHTTP10: "Transfer-Encoding in an HTTP/1.0 message"
        case .invalidChunkSize: "invalid chunk size"
        case .chunkLineTooLong: "chunk size line too long"
        case .invalidChunkExtension: "invalid chunk extension"
        case .invalidChunkTerminator: "chunk data not followed by CRLF"
        case .contentTooLarge: "body too large"
        case .statusLineTooLong: "status line too long"
        case .invalidStatusLine: "malformed status line"
        case .invalidStatus: "status code is not three digits from 100 to 999"
        case .invalidReasonPhrase: "control character in reason phrase"
        case .unexpectedInterimResponse: "unexpected or too many interim responses"
        case .missingResponse: "connection closed before a response arrived"
        case .truncatedMessage: "connection closed before the message was complete"
        default: "malformed message"
        }
    }

    /// Equal when the codes are equal.
    package static func == (lhs: HTTPParseError, rhs: HTTPParseError) -> Bool { lhs.code == rhs.code }

    /// `HTTPParseError.<code> (<status>): <message>`; safe to log.
    package var description: String { "HTTPParseError.\(code) (\(status.code)): \(message)" }

    /// The description plus the source location.
    package var debugDescription: String { "\(description) at \(file):\(line)" }
}

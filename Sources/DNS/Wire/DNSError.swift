/// An error from decoding, encoding, parsing or looking up DNS data.
///
/// Errors compare equal when their ``code`` matches; ``message`` carries the detail and is safe to log
/// (it never contains more than names, offsets and lengths).
package struct DNSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case truncated
            case labelTooLong
            case nameTooLong
            case invalidCompressionPointer
            case invalidRecordData
            case invalidName
            case invalidAddress
            case timeout
            case serverFailure
            case network
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The message ends before a field that must be there.
        package static let truncated = Code(.truncated)
        /// A label is longer than 63 bytes or uses a reserved label type (RFC 1035 §4.1.4, RFC 6891 §5).
        package static let labelTooLong = Code(.labelTooLong)
        /// A name is longer than 255 bytes in wire form (RFC 1035 §3.1).
        package static let nameTooLong = Code(.nameTooLong)
        /// A compression pointer points forward, at itself, or loops (RFC 1035 §4.1.4).
        package static let invalidCompressionPointer = Code(.invalidCompressionPointer)
        /// Record data does not match its type's layout or its RDLENGTH.
        package static let invalidRecordData = Code(.invalidRecordData)
        /// A textual domain name could not be parsed.
        package static let invalidName = Code(.invalidName)
        /// A textual IP address or `host:port` could not be parsed.
        package static let invalidAddress = Code(.invalidAddress)
        /// No resolver answered in time.
        package static let timeout = Code(.timeout)
        /// Every resolver answered with a failure response code (SERVFAIL, REFUSED, ...).
        package static let serverFailure = Code(.serverFailure)
        /// A socket operation failed.
        package static let network = Code(.network)

        /// The code's name.
        package var description: String { base.rawValue }
    }

    /// The kind of failure.
    package let code: Code
    /// Human-readable detail, safe to log.
    package let message: String
    /// Source file that raised the error.
    package let file: String
    /// Source line that raised the error.
    package let line: Int

    /// Creates an error.
    package init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// Compares codes only.
    package static func == (lhs: DNSError, rhs: DNSError) -> Bool {
        lhs.code == rhs.code
    }

    /// `code: message`.
    package var description: String { "DNSError.\(code): \(message)" }
}

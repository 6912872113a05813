/// An error from configuring the authoritative responder or its servers.
///
/// Errors compare equal when their ``code`` matches; ``message`` is safe to log (names, numbers and addresses only).
package struct DNSServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidConfiguration
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A zone or server setting cannot work (no name servers, a payload limit out of range, no addresses...).
        package static let invalidConfiguration = Code(.invalidConfiguration)

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
    package static func == (lhs: DNSServerError, rhs: DNSServerError) -> Bool {
        lhs.code == rhs.code
    }

    /// `DNSServerError.<code>: <message>`.
    package var description: String { "DNSServerError.\(code): \(message)" }
}

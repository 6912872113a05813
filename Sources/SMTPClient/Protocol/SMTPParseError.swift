/// Why bytes from an SMTP server are not a reply (RFC 5321 §4.2); thrown by ``SMTPReplyParser``.
///
/// Equal on ``code`` only. ``description`` names the rule, never the server's bytes, so it is safe to log;
/// ``debugDescription`` adds the source location.
///
/// ```swift
/// do { reply = try parser.next(from: &buffer) } catch { close() }   // error.code == .bareLineFeed, …
/// ```
package struct SMTPParseError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure; a closed set with one static member per rule.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case bareLineFeed, lineTooLong, tooManyLines, invalidDigits, invalidSeparator
            case inconsistentReplyCodes, invalidText, truncatedReply
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A line ended with LF alone (RFC 5321 §2.3.8: lines end with CRLF).
        package static let bareLineFeed = Code(.bareLineFeed)
        /// A line exceeds ``SMTPReplyLimits/lineBytes``.
        package static let lineTooLong = Code(.lineTooLong)
        /// A multi-line reply has more lines than ``SMTPReplyLimits/lineCount``.
        package static let tooManyLines = Code(.tooManyLines)
        /// The line does not start with three digits forming a reply code (first 2-5, second 0-5, RFC 5321 §4.2).
        package static let invalidDigits = Code(.invalidDigits)
        /// The code is followed by something other than SP, `-` or the end of the line (RFC 5321 §4.2).
        package static let invalidSeparator = Code(.invalidSeparator)
        /// The lines of a multi-line reply carry different codes (RFC 5321 §4.2.1).
        package static let inconsistentReplyCodes = Code(.inconsistentReplyCodes)
        /// The text has a control byte other than HT, e.g. a bare CR or NUL (RFC 5321 §4.2 `textstring`).
        package static let invalidText = Code(.invalidText)
        /// The connection closed in the middle of a reply.
        package static let truncatedReply = Code(.truncatedReply)

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

    /// A short explanation, free of reply data.
    package var message: String {
        switch code {
        case .bareLineFeed: "reply line terminated by a bare LF"
        case .lineTooLong: "reply line too long"
        case .tooManyLines: "too many lines in one reply"
        case .invalidDigits: "reply line does not start with a valid three-digit code"
        case .invalidSeparator: "reply code not followed by SP, '-' or CRLF"
        case .inconsistentReplyCodes: "lines of a multi-line reply carry different codes"
        case .invalidText: "control character in reply text"
        case .truncatedReply: "connection closed in the middle of a reply"
        default: "malformed reply"
        }
    }

    /// Equal when the codes are equal.
    package static func == (lhs: SMTPParseError, rhs: SMTPParseError) -> Bool { lhs.code == rhs.code }

    /// `SMTPParseError.<code>: <message>`; safe to log.
    package var description: String { "SMTPParseError.\(code): \(message)" }

    /// The description plus the source location.
    package var debugDescription: String { "\(description) at \(file):\(line)" }
}

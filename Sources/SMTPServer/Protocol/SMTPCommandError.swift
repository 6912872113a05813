/// Why a command line was refused before it reached the session (RFC 5321 §4.2.4, §4.1.1.11), with the reply that
/// says so. Every one counts as a client error.
///
/// Equal on ``code`` only; ``description`` names the rule, never the client's bytes, so it is safe to log.
///
/// ```swift
/// do { command = try SMTPCommand(parsing: line) } catch { send(error.reply) }
/// ```
struct SMTPCommandError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of refusal.
    struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case unrecognized, syntax, badSender, badRecipient, unknownParameter
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Not a command this server knows (500 5.5.2).
        static let unrecognized = Code(.unrecognized)
        /// The arguments do not follow the command's syntax (501 5.5.4).
        static let syntax = Code(.syntax)
        /// MAIL's reverse-path is not a path (501 5.1.7).
        static let badSender = Code(.badSender)
        /// RCPT's forward-path is not a path (501 5.1.3).
        static let badRecipient = Code(.badRecipient)
        /// A MAIL or RCPT parameter this server does not implement (555 5.5.4).
        static let unknownParameter = Code(.unknownParameter)

        /// The case name, e.g. `badSender`.
        var description: String { base.rawValue }
    }

    /// The kind of refusal.
    let code: Code
    /// What a syntax error is about, for its reply text (a fixed phrase, never the client's bytes).
    let detail: String
    /// Where the error was raised (`#fileID`).
    let file: String
    /// Where the error was raised (`#line`).
    let line: Int

    /// Creates an error; `detail` is the reply text of a syntax error.
    init(
        _ code: Code,
        detail: String = "Syntax error in parameters or arguments",
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.detail = detail
        self.file = file
        self.line = line
    }

    /// The reply that refuses the command.
    var reply: SMTPServerReply {
        switch code {
        case .unrecognized: .unrecognizedCommand
        case .badSender: .badSenderSyntax
        case .badRecipient: .badRecipientSyntax
        case .unknownParameter: .parameterNotRecognized
        default: .syntaxError(detail)
        }
    }

    /// Equal when the codes are equal.
    static func == (lhs: SMTPCommandError, rhs: SMTPCommandError) -> Bool { lhs.code == rhs.code }

    /// `SMTPCommandError.<code>: <reply>`; safe to log.
    var description: String { "SMTPCommandError.\(code): \(reply)" }

    /// The description plus the source location.
    var debugDescription: String { "\(description) at \(file):\(line)" }
}

// MARK: - The replies the session sends (RFC 5321 §4.2.2, §4.3.2; enhanced codes from RFC 3463)

extension SMTPServerReply {
    /// `220 <host> ESMTP`: the greeting (no enhanced code, RFC 2034 §3).
    static func greeting(hostname: String) -> SMTPServerReply {
        SMTPServerReply(code: 220, text: "\(hostname) ESMTP")
    }

    /// `250 <host>`: the answer to HELO.
    static func helo(hostname: String) -> SMTPServerReply {
        SMTPServerReply(code: 250, text: hostname)
    }

    /// `250 2.0.0 OK`: RSET, NOOP.
    static let ok = SMTPServerReply(code: 250, enhancedCode: "2.0.0", text: "OK")
    /// `250 2.1.0 Sender OK`.
    static let senderOK = SMTPServerReply(code: 250, enhancedCode: "2.1.0", text: "Sender OK")
    /// `250 2.1.5 Recipient OK`.
    static let recipientOK = SMTPServerReply(code: 250, enhancedCode: "2.1.5", text: "Recipient OK")
    /// `354`: send the message (no enhanced code: it is not a completion reply).
    static let startMailInput = SMTPServerReply(code: 354, text: "End data with <CR><LF>.<CR><LF>")
    /// `252 2.5.0`: VRFY is not answered (RFC 5321 §3.5.3, §7.3), but mail will be tried.
    static let cannotVerify = SMTPServerReply(
        code: 252,
        enhancedCode: "2.5.0",
        text: "Cannot VRFY user, but will accept message and attempt delivery"
    )
    /// `214 2.0.0`: HELP.
    static let help = SMTPServerReply(
        code: 214,
        enhancedCode: "2.0.0",
        text: "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS"
    )
    /// `220 2.0.0 Ready to start TLS` (RFC 3207 §4).
    static let readyToStartTLS = SMTPServerReply(code: 220, enhancedCode: "2.0.0", text: "Ready to start TLS")

    /// `221 2.0.0`: QUIT.
    static func closing(hostname: String) -> SMTPServerReply {
        SMTPServerReply(code: 221, enhancedCode: "2.0.0", text: "\(hostname) closing connection")
    }

    /// `250 2.0.0 OK: queued as <id>`: the message was accepted.
    static func queued(id: String) -> SMTPServerReply {
        SMTPServerReply(code: 250, enhancedCode: "2.0.0", text: id.isEmpty ? "OK: queued" : "OK: queued as \(id)")
    }

    // MARK: - Refusals of a command

    /// `500 5.5.2 Command unrecognized`.
    static let unrecognizedCommand = SMTPServerReply(code: 500, enhancedCode: "5.5.2", text: "Command unrecognized")
    /// `500 5.5.2 Line too long`: a command line over the limit (RFC 5321 §4.5.3.1.4), or a text line of the
    /// message (§4.5.3.1.6), which refuses the message.
    static let lineTooLong = SMTPServerReply(code: 500, enhancedCode: "5.5.2", text: "Line too long")
    /// `502 5.5.1`: a command RFC 5321 knows that this server does not implement (EXPN, TURN, …).
    static let notImplemented = SMTPServerReply(code: 502, enhancedCode: "5.5.1", text: "Command not implemented")
    /// `503 5.5.1 Send EHLO/HELO first`.
    static let heloFirst = SMTPServerReply(code: 503, enhancedCode: "5.5.1", text: "Send EHLO/HELO first")
    /// `503 5.5.1 Need MAIL command`.
    static let mailFirst = SMTPServerReply(code: 503, enhancedCode: "5.5.1", text: "Need MAIL command")
    /// `503 5.5.1 Nested MAIL command`.
    static let nestedMail = SMTPServerReply(code: 503, enhancedCode: "5.5.1", text: "Nested MAIL command")
    /// `503 5.5.1 TLS already active`.
    static let tlsAlreadyActive = SMTPServerReply(code: 503, enhancedCode: "5.5.1", text: "TLS already active")
    /// `554 5.5.1 No valid recipients`: DATA without an accepted recipient (RFC 5321 §3.3).
    static let noValidRecipients = SMTPServerReply(code: 554, enhancedCode: "5.5.1", text: "No valid recipients")

    /// `501 5.5.4 <detail>`: the arguments do not follow the command's syntax.
    static func syntaxError(_ detail: String) -> SMTPServerReply {
        SMTPServerReply(code: 501, enhancedCode: "5.5.4", text: detail)
    }

    /// `501 5.1.7 Bad sender address syntax`.
    static let badSenderSyntax = SMTPServerReply(code: 501, enhancedCode: "5.1.7", text: "Bad sender address syntax")
    /// `501 5.1.3 Bad recipient address syntax`.
    static let badRecipientSyntax = SMTPServerReply(
        code: 501,
        enhancedCode: "5.1.3",
        text: "Bad recipient address syntax"
    )
    /// `555 5.5.4`: a MAIL or RCPT parameter that is not supported (RFC 5321 §4.1.1.11).
    static let parameterNotRecognized = SMTPServerReply(
        code: 555,
        enhancedCode: "5.5.4",
        text: "Parameter not recognized or not implemented"
    )
    /// `552 5.3.4`: the message is, or is declared to be, larger than the limit (RFC 1870 §6).
    package static let messageTooBig = SMTPServerReply(
        code: 552,
        enhancedCode: "5.3.4",
        text: "Message size exceeds fixed maximum message size"
    )
    /// `452 4.5.3 Too many recipients` (RFC 5321 §4.5.3.1.10: the client sends the rest in another transaction).
    static let tooManyRecipients = SMTPServerReply(code: 452, enhancedCode: "4.5.3", text: "Too many recipients")
    /// `550 5.1.1 No such recipient`.
    package static let unknownRecipient = SMTPServerReply(code: 550, enhancedCode: "5.1.1", text: "No such recipient")
    /// `451 4.3.2 Try again later`: the delivery queue is full.
    package static let tryAgainLater = SMTPServerReply(code: 451, enhancedCode: "4.3.2", text: "Try again later")
    /// `451 4.3.0 Local error in processing`: what a malformed verdict becomes.
    package static let localError = SMTPServerReply(code: 451, enhancedCode: "4.3.0", text: "Local error in processing")

    // MARK: - Replies that end the session (421, RFC 5321 §3.8)

    /// `421 4.4.2 <host> Timeout, closing connection`.
    static func timeout(hostname: String) -> SMTPServerReply {
        SMTPServerReply(code: 421, enhancedCode: "4.4.2", text: "\(hostname) Timeout, closing connection")
    }

    /// `421 4.7.0 <host> Too many errors, closing connection`.
    static func tooManyErrors(hostname: String) -> SMTPServerReply {
        SMTPServerReply(code: 421, enhancedCode: "4.7.0", text: "\(hostname) Too many errors, closing connection")
    }

    /// `421 4.7.0 <host> Too many commands, closing connection`.
    static func tooManyCommands(hostname: String) -> SMTPServerReply {
        SMTPServerReply(code: 421, enhancedCode: "4.7.0", text: "\(hostname) Too many commands, closing connection")
    }

    /// `421 4.7.0 <host> Too many connections, try again later`: sent at accept by a connection cap.
    static func tooManyConnections(hostname: String) -> SMTPServerReply {
        SMTPServerReply(code: 421, enhancedCode: "4.7.0", text: "\(hostname) Too many connections, try again later")
    }

    /// `421 4.3.2 <host> Service shutting down`.
    static func shuttingDown(hostname: String) -> SMTPServerReply {
        SMTPServerReply(code: 421, enhancedCode: "4.3.2", text: "\(hostname) Service shutting down")
    }

    /// `552 5.3.4 … closing connection`: DATA went on far past the size limit.
    static let messageTooBigClosing = SMTPServerReply(
        code: 552,
        enhancedCode: "5.3.4",
        text: "Message size exceeds fixed maximum message size, closing connection"
    )
}

/// What one submission session sends: the envelope, the message and the credentials to authenticate with.
///
/// ```swift
/// let plan = SMTPSubmissionPlan(message: message, credentials: relay.credentials)
/// plan.recipients   // the envelope recipients: the message's To addresses
/// ```
struct SMTPSubmissionPlan: Sendable {
    /// The envelope sender (MAIL FROM): the message's From address.
    let sender: SMTPAddress
    /// The envelope recipients (RCPT TO): the message's To addresses, in order.
    let recipients: [SMTPAddress]
    /// The message.
    let message: SMTPMessage
    /// AUTH credentials, if the relay needs them.
    let credentials: SMTPCredentials?

    /// A plan that sends `message` from its From address to its To addresses.
    init(message: SMTPMessage, credentials: SMTPCredentials?) {
        self.sender = message.from.address
        self.recipients = message.to.map(\.address)
        self.message = message
        self.credentials = credentials
    }

    /// Whether an address needs SMTPUTF8 (RFC 6531) in the envelope or the header.
    var requiresSMTPUTF8: Bool {
        sender.requiresSMTPUTF8 || recipients.contains(where: \.requiresSMTPUTF8)
    }
}

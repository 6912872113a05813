package import SystemIO

/// What the relay confirmed when it accepted a message.
///
/// ```swift
/// let receipt = try client.send(message)
/// receipt.rejectedRecipients.filter(\.isTransient)   // recipients worth trying again later
/// ```
package struct SMTPSubmissionReceipt: Sendable, Hashable {
    /// The relay address that accepted the message.
    package let relayAddress: SocketAddress
    /// The message's Message-ID, without angle brackets.
    package let messageID: String
    /// The recipients the relay accepted; it now owns delivery to them.
    package let acceptedRecipients: [SMTPAddress]
    /// The recipients the relay refused at RCPT TO.
    package let rejectedRecipients: [SMTPRecipientRejection]
    /// The relay's reply to the end of the message, e.g. `250 2.0.0 Ok: queued as …`.
    package let reply: SMTPReply
    /// How the body was encoded for this relay.
    package let transferEncoding: SMTPTransferEncoding

    /// Creates a receipt.
    package init(
        relayAddress: SocketAddress,
        messageID: String,
        acceptedRecipients: [SMTPAddress],
        rejectedRecipients: [SMTPRecipientRejection],
        reply: SMTPReply,
        transferEncoding: SMTPTransferEncoding
    ) {
        self.relayAddress = relayAddress
        self.messageID = messageID
        self.acceptedRecipients = acceptedRecipients
        self.rejectedRecipients = rejectedRecipients
        self.reply = reply
        self.transferEncoding = transferEncoding
    }
}

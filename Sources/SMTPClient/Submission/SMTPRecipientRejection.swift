/// A recipient the relay refused at RCPT TO, with its reply.
///
/// ```swift
/// for rejection in receipt.rejectedRecipients where rejection.isTransient { retryLater(rejection.recipient) }
/// ```
package struct SMTPRecipientRejection: Sendable, Hashable, CustomStringConvertible {
    /// The refused recipient.
    package let recipient: SMTPAddress
    /// The relay's reply, e.g. `550 5.1.1 …` or `450 4.2.1 …`.
    package let reply: SMTPReply

    /// Creates a rejection.
    package init(recipient: SMTPAddress, reply: SMTPReply) {
        self.recipient = recipient
        self.reply = reply
    }

    /// Whether the refusal is temporary (4xx): sending to this recipient again later may succeed.
    package var isTransient: Bool {
        reply.isTransientFailure
    }

    /// `"<recipient>: <reply>"`.
    package var description: String {
        "\(recipient): \(reply)"
    }
}

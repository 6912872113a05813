package import HTTPCore

/// What a receiver knows about the session when it judges a recipient: the client and the transaction so far.
///
/// ```swift
/// func verdict(forRecipient recipient: SMTPPath, session: SMTPSessionInfo) -> SMTPRecipientVerdict {
///     session.usesTLS || !requiresTLS ? .accept : .refuse(SMTPServerReply(code: 530, enhancedCode: "5.7.0",
///                                                                          text: "Must issue STARTTLS first"))
/// }
/// ```
package struct SMTPSessionInfo: Sendable, Hashable {
    /// The TCP peer.
    package let clientAddress: ClientAddress
    /// The name the client gave in EHLO or HELO, as sent (unverified).
    package let heloName: String
    /// Whether the session runs over TLS (STARTTLS completed).
    package let usesTLS: Bool
    /// The transaction's reverse-path (MAIL FROM).
    package let reversePath: SMTPPath
    /// The recipients accepted so far in this transaction.
    package let acceptedRecipients: [SMTPPath]

    /// Creates the information (the session builds it; tests build their own).
    package init(
        clientAddress: ClientAddress,
        heloName: String,
        usesTLS: Bool,
        reversePath: SMTPPath,
        acceptedRecipients: [SMTPPath]
    ) {
        self.clientAddress = clientAddress
        self.heloName = heloName
        self.usesTLS = usesTLS
        self.reversePath = reversePath
        self.acceptedRecipients = acceptedRecipients
    }
}

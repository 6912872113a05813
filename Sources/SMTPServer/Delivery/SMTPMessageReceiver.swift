/// What the listener asks about recipients and hands each accepted message to: the report intake's side of the
/// SMTP server.
///
/// ```swift
/// struct ReportIntake: SMTPMessageReceiver {
///     let addresses: Set<String>            // an immutable snapshot, swapped by its owner
///     let spool: ReportSpool
///     func verdict(forRecipient recipient: SMTPPath, session: SMTPSessionInfo) -> SMTPRecipientVerdict {
///         addresses.contains(recipient.mailbox.lowercased()) ? .accept : .refuse(.unknownRecipient)
///     }
///     func deliver(_ message: SMTPReceivedMessage) -> SMTPDeliveryVerdict {
///         do { return .accepted(id: try spool.store(message)) } catch { return .refused(.localError) }
///     }
/// }
/// ```
package protocol SMTPMessageReceiver: Sendable {
    /// Whether `recipient` may receive mail in this session's transaction.
    ///
    /// Runs on the event loop for every RCPT command, so it must be cheap and must not block: a lookup in memory.
    /// - Parameters:
    ///   - recipient: The forward-path, as the client sent it (never `<>`; possibly `<Postmaster>`).
    ///   - session: Who sends, and the transaction so far.
    /// - Returns: ``SMTPRecipientVerdict/accept`` or a refusal with its reply.
    func verdict(forRecipient recipient: SMTPPath, session: SMTPSessionInfo) -> SMTPRecipientVerdict

    /// Takes responsibility for a message (RFC 5321 §4.1.1.4: after a 250 the server must deliver it or bounce it).
    ///
    /// Runs on a ``BlockingPool`` thread, so it may block (parse, write and fsync a spool file); the session waits
    /// for it without holding the event loop. The client gets the answer after it returns.
    /// - Parameter message: The envelope, the content and what is known of the client.
    /// - Returns: ``SMTPDeliveryVerdict/accepted(id:)`` once the message is safely stored, or a refusal.
    func deliver(_ message: SMTPReceivedMessage) -> SMTPDeliveryVerdict
}

/// A receiver's answer for one RCPT: accept the recipient, or refuse it with a 4xx or 5xx reply.
///
/// ```swift
/// return isKnown ? .accept : .refuse(.unknownRecipient)
/// ```
package enum SMTPRecipientVerdict: Sendable, Hashable {
    /// `250 2.1.5 Recipient OK`.
    case accept
    /// The reply to send; a reply that is not 4xx or 5xx is sent as `451 4.3.0 Local error in processing`.
    case refuse(SMTPServerReply)
}

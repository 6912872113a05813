/// A receiver's answer for one message: it took responsibility for it, or refuses it with a 4xx or 5xx reply.
///
/// ```swift
/// return .accepted(id: spoolFile.name)        // 250 2.0.0 OK: queued as <id>
/// return .refused(SMTPServerReply(code: 554, enhancedCode: "5.6.0", text: "Not a TLS report"))
/// ```
package enum SMTPDeliveryVerdict: Sendable, Hashable {
    /// The message is stored; `id` names it in the 250 reply (printable US-ASCII; other bytes are replaced).
    case accepted(id: String)
    /// The reply to send; a reply that is not 4xx or 5xx is sent as `451 4.3.0 Local error in processing`.
    case refused(SMTPServerReply)
}

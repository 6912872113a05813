package import Foundation
package import HTTPCore

/// One message the client finished sending, as it is handed to ``SMTPMessageReceiver/deliver(_:)``.
///
/// The content is what came between 354 and the terminating `.`, dot-unstuffed, with every line ending in CRLF.
/// Nothing is added to it (no `Received:` header).
///
/// ```swift
/// func deliver(_ message: SMTPReceivedMessage) -> SMTPDeliveryVerdict {
///     logger.info("report", ["from": message.reversePath.description, "bytes": String(message.content.count)])
///     …
/// }
/// ```
package struct SMTPReceivedMessage: Sendable, Hashable {
    /// MAIL FROM's reverse-path; ``SMTPPath/null`` for `<>`.
    package let reversePath: SMTPPath
    /// The recipients the receiver accepted, in RCPT order.
    package let recipients: [SMTPPath]
    /// The header section and body (CRLF line ends, unstuffed).
    package let content: [UInt8]
    /// MAIL's `BODY=` parameter, if the client sent one.
    package let bodyType: SMTPBodyType?
    /// The TCP peer.
    package let clientAddress: ClientAddress
    /// The name the client gave in EHLO or HELO, as sent (unverified).
    package let heloName: String
    /// Whether the session ran over TLS (STARTTLS completed) when the message was sent.
    package let usesTLS: Bool
    /// When the terminating `.` arrived (wall clock).
    package let receivedAt: Date

    /// Creates a message (the session builds it; tests build their own).
    package init(
        reversePath: SMTPPath,
        recipients: [SMTPPath],
        content: [UInt8],
        bodyType: SMTPBodyType?,
        clientAddress: ClientAddress,
        heloName: String,
        usesTLS: Bool,
        receivedAt: Date
    ) {
        self.reversePath = reversePath
        self.recipients = recipients
        self.content = content
        self.bodyType = bodyType
        self.clientAddress = clientAddress
        self.heloName = heloName
        self.usesTLS = usesTLS
        self.receivedAt = receivedAt
    }
}

import HTTPCore
package import SMTPServer
import Store
import TLSReporting

/// The mail door (RFC 8460 §5.3): recipients `<token>@<MTASTS_REPORTS_MAIL_DOMAIN>` with a token that routes
/// to a served domain, and messages whose report parts check out, spooled before the `250`.
///
/// The recipient check is an in-memory lookup (it runs on the event loop); delivery parses the MIME message,
/// decompresses and checks every report, and `fsync`s it to the spool, so it runs on the listener's pool. A
/// message to several tokens is spooled once per token; the `250` comes only when every one is on disk, and a
/// `451` makes the sender retry all of them (the importer stores each report once).
///
/// ```swift
/// let receiver = ReportSMTPReceiver(acceptor: reception.acceptor, mailDomain: "reports.example.net")
/// let listener = SMTPListener(configuration: …, group: group, receiver: receiver, deliveryPool: pool)
/// ```
package struct ReportSMTPReceiver: SMTPMessageReceiver {
    private let acceptor: ReportAcceptor
    private let mailDomain: String

    package init(acceptor: ReportAcceptor, mailDomain: String) {
        self.acceptor = acceptor
        self.mailDomain = mailDomain.lowercased()
    }

    package func verdict(forRecipient recipient: SMTPPath, session: SMTPSessionInfo) -> SMTPRecipientVerdict {
        guard recipient.normalizedDomain == mailDomain, acceptor.accepts(token: recipient.localPart) else {
            return .refuse(SMTPServerReply(code: 550, enhancedCode: "5.1.1", text: "No such reporting address"))
        }
        return .accept
    }

    package func deliver(_ message: SMTPReceivedMessage) -> SMTPDeliveryVerdict {
        let content = message.content
        var names: [String] = []
        // The message is decoded once, however many tokens it is addressed to.
        var decoded: Result<[[UInt8]], TLSReportError>?
        for recipient in Set(message.recipients.map { $0.localPart.lowercased() }).sorted() {
            let verdict = acceptor.accept(
                token: recipient,
                channel: .smtp,
                client: message.clientAddress.description,
                at: message.receivedAt
            ) { () throws(TLSReportError) -> [[UInt8]] in
                let result =
                    decoded
                    ?? Result { () throws(TLSReportError) in
                        try ReportPayload.decodeMessage(content, limits: acceptor.limits)
                    }
                decoded = result
                return try result.get()
            }
            switch verdict {
            case .accepted(let spooled):
                names += spooled
            case .unknownToken:
                // The token stopped routing between RCPT and the end of DATA (its domain was just deleted).
                return .refused(SMTPServerReply(code: 550, enhancedCode: "5.1.1", text: "No such reporting address"))
            case .rejected(let error) where error == .tooLarge:
                return .refused(SMTPServerReply(code: 552, enhancedCode: "5.3.4", text: error.message))
            case .rejected(let error):
                return .refused(SMTPServerReply(code: 550, enhancedCode: "5.6.0", text: error.message))
            case .unavailable:
                return .refused(SMTPServerReply(code: 451, enhancedCode: "4.3.0", text: "Cannot store the report now"))
            }
        }
        return .accepted(id: names.first.map { String($0.prefix(30)) } ?? "0")
    }
}

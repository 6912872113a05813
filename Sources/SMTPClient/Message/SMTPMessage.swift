import Crypto

/// A plain-text e-mail (RFC 5322) as the alert mailer sends it: one From, one or more To, a subject and a
/// UTF-8 body.
///
/// The header section is generated (Date, From, To, Subject, Message-ID, MIME-Version, Content-Type,
/// Content-Transfer-Encoding) when the message is sent, so nothing a caller passes can add header lines:
/// control characters are refused in the subject and display names, and non-ASCII text is encoded (RFC 2047).
///
/// ```swift
/// let message = try SMTPMessage(
///     from: try SMTPMailbox(try SMTPAddress("alerts@mtasts.example"), displayName: "MTA-STS"),
///     to: [try SMTPMailbox(try SMTPAddress("admin@customer.example"))],
///     subject: "Certificate for mta-sts.customer.example expires in 10 days",
///     body: "…",
///     date: now,
///     messageID: try SMTPMessage.makeMessageID(domain: "mtasts.example")
/// )
/// ```
package struct SMTPMessage: Sendable, Hashable {
    /// The author and envelope sender.
    package let from: SMTPMailbox
    /// The recipients, in order; also the envelope recipients.
    package let to: [SMTPMailbox]
    /// The subject, without control characters.
    package let subject: String
    /// The body text; line ends may be LF or CRLF.
    package let body: String
    /// The origination date, Unix seconds (written in UTC).
    package let date: Int64
    /// The Message-ID without angle brackets, `id-left@id-right` (RFC 5322 §3.6.4).
    package let messageID: String

    /// Creates a message.
    /// - Throws: ``SMTPClientError/Code/invalidMessage`` without recipients, when the subject has a control
    ///   character, or when the Message-ID is not `dot-atom-text@dot-atom-text`.
    package init(
        from: SMTPMailbox,
        to: [SMTPMailbox],
        subject: String,
        body: String,
        date: Int64,
        messageID: String
    ) throws(SMTPClientError) {
        guard !to.isEmpty else { throw SMTPClientError(.invalidMessage, "the message has no recipients") }
        guard !subject.unicodeScalars.contains(where: Self.isControl) else {
            throw SMTPClientError(.invalidMessage, "subject contains a control character")
        }
        guard Self.isMessageID(messageID) else {
            throw SMTPClientError(.invalidMessage, "Message-ID is not id-left@id-right")
        }
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
    }

    /// A new unique Message-ID: 128 random bits in hex at `domain`.
    /// - Throws: ``SMTPClientError/Code/invalidConfiguration`` when the random generator fails.
    package static func makeMessageID(domain: String) throws(SMTPClientError) -> String {
        do {
            return Hex.encode(try SecureRandom.bytes(count: 16)) + "@" + domain
        } catch {
            throw SMTPClientError(.invalidConfiguration, "no random bytes for a Message-ID", underlying: error)
        }
    }

    /// C0 controls (HT included), DEL and C1 controls: nothing a header line may carry unencoded.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `dot-atom-text "@" dot-atom-text` (RFC 5322 §3.6.4, the form generators should use).
    private static func isMessageID(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            part.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
                !atom.isEmpty && atom.utf8.allSatisfy(SMTPSyntax.isAtomText)
            }
        }
    }
}

/// A reverse-path or forward-path of the envelope (RFC 5321 §4.1.2): a mailbox, the null reverse-path `<>`, or the
/// special recipient `<Postmaster>` without a domain (§4.1.1.3).
///
/// The parts are kept as the client sent them: the local part with its quotes if it was quoted, the domain in the
/// case it was written in (domains compare case-insensitively; local parts are the receiving host's business,
/// §2.4). A source route (`<@relay:user@example>`, §4.1.2, obsolete) is dropped, as §3.6.1 lets a server do.
///
/// ```swift
/// let path = try SMTPPath(parsing: Array("<TLSRPT@Reports.Example>".utf8)[...], allowsNull: false)
/// path.mailbox          // "TLSRPT@Reports.Example"
/// path.normalizedDomain // "reports.example"
/// ```
package struct SMTPPath: Sendable, Hashable, CustomStringConvertible {
    /// The local part as sent (a quoted string keeps its quotes); empty for the null path.
    package let localPart: String
    /// The domain or address literal as sent; empty for the null path and for `<Postmaster>`.
    package let domain: String

    /// Creates a path from its parts (no validation; the parser validates what a client sends).
    package init(localPart: String, domain: String) {
        self.localPart = localPart
        self.domain = domain
    }

    /// The null reverse-path `<>` (bounces and reports that must not be bounced, RFC 5321 §4.5.5).
    package static let null = SMTPPath(localPart: "", domain: "")

    /// Whether this is `<>`.
    package var isNull: Bool { localPart.isEmpty && domain.isEmpty }

    /// Whether this is `<Postmaster>` without a domain (any case).
    package var isBarePostmaster: Bool {
        domain.isEmpty && localPart.utf8.count == 10 && localPart.lowercased() == "postmaster"
    }

    /// `local@domain`; `Postmaster` alone for `<Postmaster>`, empty for `<>`.
    package var mailbox: String {
        domain.isEmpty ? localPart : "\(localPart)@\(domain)"
    }

    /// The domain in lower case (ASCII only: the server does not offer SMTPUTF8, so it is ASCII).
    package var normalizedDomain: String {
        domain.lowercased()
    }

    /// `<local@domain>`, as in the envelope.
    package var description: String {
        "<\(mailbox)>"
    }
}

package import TLS

/// Settings of an ``SMTPSubmissionClient``: the relay, the sender, and how to reach and trust the relay.
///
/// ```swift
/// var configuration = try SMTPSubmissionConfiguration(
///     relay: try SMTPRelayURL(environment["MTASTS_SMTP_URL"]!),
///     sender: try SMTPMailbox(parsing: environment["MTASTS_MAIL_FROM"]!),
///     localHostName: "worker1.mtasts.example"
/// )
/// configuration.trustRoots = .file("/etc/mtasts/relay-ca.pem")
/// ```
package struct SMTPSubmissionConfiguration: Sendable {
    /// The relay and the credentials for it.
    package var relay: SMTPRelayURL
    /// The From of every message and the envelope sender.
    package var sender: SMTPMailbox
    /// The name sent with EHLO: this host's domain name or an address literal (RFC 5321 §4.1.4).
    package var localHostName: String
    /// The roots the relay's certificate must chain to.
    package var trustRoots: TLSTrustRoots = .systemDefault
    /// How the relay's host name becomes addresses (A, then AAAA).
    package var resolver: SMTPHostResolver = .system
    /// Per-step limits and the budget for one submission.
    package var timeouts = SMTPTimeouts()
    /// Caps on each reply.
    package var replyLimits = SMTPReplyLimits.default

    /// Creates a configuration with the default trust roots, resolver and timeouts.
    /// - Throws: ``SMTPClientError/Code/invalidConfiguration`` when `localHostName` cannot follow EHLO.
    package init(relay: SMTPRelayURL, sender: SMTPMailbox, localHostName: String) throws(SMTPClientError) {
        try SMTPCommand.validateEHLOArgument(localHostName)
        self.relay = relay
        self.sender = sender
        self.localHostName = localHostName
    }
}

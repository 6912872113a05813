package import Logging
import SystemIO
import TLS

/// Submits alert e-mails through the operator's relay (`MTASTS_SMTP_URL`, `MTASTS_MAIL_FROM`).
///
/// One message per session: connect (each address of the relay in turn until one greets), TLS (STARTTLS,
/// which must be offered, or implicit TLS for `smtps`) with the relay's certificate verified for its name,
/// EHLO again, AUTH when the URL has credentials (PLAIN, else LOGIN; never before TLS), MAIL FROM, RCPT TO for
/// each recipient, DATA, the message, QUIT. Nothing is sent in the clear but EHLO and STARTTLS.
///
/// A thrown ``SMTPClientError`` says whether trying again may help (``SMTPClientError/isTransient``: 4xx and
/// network failures) or not (5xx, a relay without STARTTLS or with a certificate that does not verify). When
/// some recipients are refused and others accepted, the message is sent and the receipt lists the refusals.
///
/// Blocking: call from worker threads, never an event loop.
///
/// ```swift
/// let client = try SMTPSubmissionClient(configuration: configuration)
/// let message = try client.makeMessage(to: [admin], subject: "MX certificate expired", body: text, date: now)
/// do throws(SMTPClientError) {
///     let receipt = try client.send(message)   // receipt.rejectedRecipients: refused while others accepted
/// } catch {
///     if error.isTransient { retryLater() } else { reportToOperator(error) }
/// }
/// ```
package final class SMTPSubmissionClient: Sendable {
    /// The settings this client was created with.
    package let configuration: SMTPSubmissionConfiguration
    private let tlsContext: TLSContext
    private let logger: Logger

    /// Creates a client; loads the trust roots once and ignores `SIGPIPE` for the process.
    /// - Throws: ``SMTPClientError/Code/invalidConfiguration`` when the trust roots cannot be loaded.
    package init(
        configuration: SMTPSubmissionConfiguration,
        logger: Logger = Logger(label: "smtp-submission", level: .info)
    ) throws(SMTPClientError) {
        Signals.ignoreSIGPIPE()
        var tls = TLSConfiguration.client(trustRoots: configuration.trustRoots)
        tls.alpnProtocols = []
        do {
            self.tlsContext = try TLSContext.makeClient(configuration: tls)
        } catch {
            throw SMTPClientError(.invalidConfiguration, "cannot load the TLS trust roots", underlying: error)
        }
        self.configuration = configuration
        self.logger = logger
    }

    /// A message from the configured sender with a new Message-ID at the sender's domain.
    /// - Parameters:
    ///   - recipients: The To mailboxes (at least one).
    ///   - subject: The subject, without control characters.
    ///   - body: Plain text.
    ///   - date: The Date field, Unix seconds.
    /// - Throws: ``SMTPClientError/Code/invalidMessage`` (see ``SMTPMessage/init(from:to:subject:body:date:messageID:)``).
    package func makeMessage(
        to recipients: [SMTPMailbox],
        subject: String,
        body: String,
        date: Int64
    ) throws(SMTPClientError) -> SMTPMessage {
        let domain = configuration.sender.address.domain
        return try SMTPMessage(
            from: configuration.sender,
            to: recipients,
            subject: subject,
            body: body,
            date: date,
            messageID: try SMTPMessage.makeMessageID(domain: domain.hasPrefix("[") ? "mtasts.invalid" : domain)
        )
    }

    /// Submits `message` to the relay: from its From address to each of its To addresses.
    /// - Returns: The relay's confirmation, with any recipients it refused while accepting others.
    /// - Throws: ``SMTPClientError``; see ``SMTPClientError/isTransient`` for whether to try again.
    package func send(_ message: SMTPMessage) throws(SMTPClientError) -> SMTPSubmissionReceipt {
        let deadline = Deadline.after(configuration.timeouts.total)
        let relay = configuration.relay
        let addresses: [SocketAddress]
        if relay.isIPLiteral, let literal = try? SocketAddress(ipAddress: relay.host, port: relay.port) {
            addresses = [literal]
        } else {
            addresses = try configuration.resolver.addresses(for: relay.host).map { $0.withPort(relay.port) }
        }
        var lastError = SMTPClientError(.resolutionFailed, "\(relay.host) has no addresses", step: .resolve)
        for address in addresses {
            guard Deadline.now() < deadline else {
                lastError = SMTPClientError(.timeout, "no time left to try \(address)", step: .connect)
                break
            }
            switch try attempt(message, at: address, deadline: deadline) {
            case .accepted(let receipt):
                logger.info(
                    "message submitted",
                    [
                        "relay": "\(address)", "message_id": receipt.messageID,
                        "accepted": String(receipt.acceptedRecipients.count),
                        "refused": String(receipt.rejectedRecipients.count),
                    ]
                )
                return receipt
            case .notGreeted(let error):
                logger.warning("relay address unusable", ["relay": "\(address)", "error": "\(error)"])
                lastError = error
            }
        }
        throw lastError
    }

    // MARK: - One address

    private enum Attempt {
        case accepted(SMTPSubmissionReceipt)
        /// The address did not greet (connect failed, no or a refused greeting): the next one may.
        case notGreeted(SMTPClientError)
    }

    private func attempt(
        _ message: SMTPMessage,
        at address: SocketAddress,
        deadline: Deadline
    ) throws(SMTPClientError) -> Attempt {
        let timeouts = configuration.timeouts
        let relay = configuration.relay
        let peer: TLSPeerName = relay.isIPLiteral ? .ipAddress(relay.host) : .hostName(relay.host)
        let connection: SMTPConnection
        do {
            connection = try SMTPConnection.connect(
                to: address,
                deadline: min(.after(timeouts.connect), deadline),
                limits: configuration.replyLimits
            )
        } catch {
            return .notGreeted(error)
        }
        defer { connection.close() }
        if relay.scheme == .smtps {
            try connection.startTLS(
                context: tlsContext,
                peer: peer,
                deadline: min(.after(timeouts.tlsHandshake), deadline)
            )
        }
        var machine = SMTPClientStateMachine(
            mode: .submission(SMTPSubmissionPlan(message: message, credentials: relay.credentials)),
            localHostName: configuration.localHostName,
            isTLSActive: relay.scheme == .smtps
        )
        var sessionError: SMTPClientError?
        do {
            try connection.run(
                &machine,
                from: machine.start(),
                timeouts: timeouts,
                deadline: deadline,
                logger: logger
            ) { (connection, handshakeDeadline) throws(SMTPClientError) in
                try connection.startTLS(context: tlsContext, peer: peer, deadline: handshakeDeadline)
            }
        } catch {
            sessionError = error
        }
        // Once the relay has taken the message, a failed QUIT changes nothing.
        if machine.isMessageAccepted, let reply = machine.messageReply, let encoding = machine.transferEncoding {
            return .accepted(
                SMTPSubmissionReceipt(
                    relayAddress: address,
                    messageID: message.messageID,
                    acceptedRecipients: machine.acceptedRecipients,
                    rejectedRecipients: machine.rejectedRecipients,
                    reply: reply,
                    transferEncoding: encoding
                )
            )
        }
        let error =
            machine.failure ?? sessionError
            ?? SMTPClientError(.connectionClosed, "the session ended without an answer to the message", step: .quit)
        guard machine.greeting != nil else { return .notGreeted(error) }
        throw error
    }
}

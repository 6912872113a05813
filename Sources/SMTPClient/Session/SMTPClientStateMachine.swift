/// The client side of one SMTP session as a pure state machine: the shell feeds it the server's replies and
/// executes the ``Action`` it returns; no I/O and no clock of its own (the shell bounds every wait by
/// ``step``'s timeout).
///
/// Both uses share the opening of RFC 5321 §3.1 and RFC 3207: greeting, EHLO, STARTTLS when offered, the TLS
/// handshake, and EHLO again (RFC 3207 §4.2: the client forgets what it learnt before TLS). A probe then sends
/// QUIT; it never sends MAIL, RCPT or DATA. A submission requires TLS (STARTTLS, or implicit TLS when the shell
/// started the session with it), authenticates when it has credentials (RFC 4954: PLAIN, else LOGIN), and sends
/// one message to its recipients. Any refusal is recorded in ``failure`` and answered with QUIT (RFC 5321 §3.1
/// asks for QUIT even after a 554 greeting).
///
/// ```swift
/// var machine = SMTPClientStateMachine(mode: .probe, localHostName: "checker.example")
/// var action = machine.start()
/// while true {
///     switch action {
///     case .receiveGreeting: action = machine.receive(try connection.readReply(step: machine.step, deadline: d))
///     case .send(let command): action = machine.receive(try connection.exchange(command, step: machine.step, deadline: d))
///     case .sendMessage(let bytes): …
///     case .startTLS: try connection.startTLS(…); action = machine.tlsEstablished()
///     case .close: return
///     }
/// }
/// ```
struct SMTPClientStateMachine: Sendable {
    /// What the session is for.
    enum Mode: Sendable {
        /// EHLO, STARTTLS when offered, EHLO, QUIT: the MX probe.
        case probe
        /// Deliver one message to a relay over TLS.
        case submission(SMTPSubmissionPlan)
    }

    /// What the shell must do next.
    enum Action: Sendable, Equatable {
        /// Read the server's greeting and pass it to ``receive(_:)``.
        case receiveGreeting
        /// Send the command, read the reply and pass it to ``receive(_:)``.
        case send(SMTPCommand)
        /// Send the encoded message (after the 354 to DATA), read the reply and pass it to ``receive(_:)``.
        case sendMessage([UInt8])
        /// Run the TLS handshake on the connection, then call ``tlsEstablished()``.
        case startTLS
        /// The session is over: close the connection.
        case close
    }

    /// The state of the AUTH exchange (RFC 4954 §4).
    private enum Authentication: Sendable {
        /// `AUTH PLAIN <initial response>` sent; expecting 235.
        case plain
        /// `AUTH LOGIN` sent; expecting the 334 asking for the user name.
        case loginUserName
        /// The user name sent; expecting the 334 asking for the password.
        case loginPassword
        /// The password sent; expecting 235.
        case loginResult
        /// `*` sent after an unexpected 334 (RFC 4954 §4: the client cancels); expecting 501.
        case cancelled
    }

    private enum State: Sendable {
        case idle
        case greeting
        case ehlo
        case startTLS
        case handshake
        case authentication(Authentication)
        case mailFrom
        case recipient(Int)
        case data
        case message
        case quit
        case closed
    }

    /// The step whose reply (or handshake) the machine is waiting for.
    private(set) var step: SMTPStep = .greeting
    /// The 220 greeting; `nil` until it has arrived or when the greeting was a refusal.
    private(set) var greeting: SMTPReply?
    /// The extensions of the EHLO reply before TLS; `nil` with implicit TLS or when EHLO failed.
    private(set) var extensionsBeforeTLS: SMTPServerExtensions?
    /// The reply to STARTTLS, when it was sent.
    private(set) var startTLSReply: SMTPReply?
    /// The extensions of the EHLO reply under TLS.
    private(set) var extensionsAfterTLS: SMTPServerExtensions?
    /// The refusal that ended the session early, if any.
    private(set) var failure: SMTPClientError?
    /// Submission: the recipients the server accepted.
    private(set) var acceptedRecipients: [SMTPAddress] = []
    /// Submission: the recipients the server refused, with its replies.
    private(set) var rejectedRecipients: [SMTPRecipientRejection] = []
    /// Submission: the reply to the end of the message.
    private(set) var messageReply: SMTPReply?
    /// Submission: how the body was encoded, once the server's extensions were known.
    private(set) var transferEncoding: SMTPTransferEncoding?
    /// Whether the connection is protected by TLS.
    private(set) var isTLSActive: Bool

    private let mode: Mode
    private let localHostName: String
    private var state = State.idle
    /// Submission: the message as sent after DATA (dot-stuffed), and the MAIL FROM parameters it needs.
    private var encodedMessage: [UInt8] = []
    private var mailParameters: [String] = []

    /// Creates a machine for one session.
    /// - Parameters:
    ///   - mode: Probe or submission.
    ///   - localHostName: The EHLO argument (validated by the caller).
    ///   - isTLSActive: `true` when the shell ran the handshake before the greeting (implicit TLS, RFC 8314).
    init(mode: Mode, localHostName: String, isTLSActive: Bool = false) {
        self.mode = mode
        self.localHostName = localHostName
        self.isTLSActive = isTLSActive
    }

    /// Whether the server accepted the message (a 2xx to the final `.`); the session has done its job even if
    /// QUIT then fails.
    var isMessageAccepted: Bool {
        messageReply?.isPositiveCompletion ?? false
    }

    /// The first action: wait for the greeting.
    mutating func start() -> Action {
        state = .greeting
        step = .greeting
        return .receiveGreeting
    }

    /// Advances on the server's reply to the last action.
    mutating func receive(_ reply: SMTPReply) -> Action {
        switch state {
        case .idle, .handshake:
            preconditionFailure("reply received while no reply was expected (state \(state))")
        case .greeting:
            guard reply.code == 220 else { return refuse(reply, "greeting refused") }
            greeting = reply
            return sendEHLO()
        case .ehlo:
            return receiveEHLO(reply)
        case .startTLS:
            startTLSReply = reply
            guard reply.code == 220 else { return refuse(reply, "STARTTLS refused") }
            state = .handshake
            step = .tlsHandshake
            return .startTLS
        case .authentication(let stage):
            return receiveAuthentication(reply, stage: stage)
        case .mailFrom:
            guard reply.isPositiveCompletion else { return refuse(reply, "MAIL FROM refused") }
            return sendRecipient(0)
        case .recipient(let index):
            return receiveRecipient(reply, index: index)
        case .data:
            guard reply.code == 354 else { return refuse(reply, "DATA refused") }
            state = .message
            step = .message
            return .sendMessage(encodedMessage)
        case .message:
            messageReply = reply
            guard reply.isPositiveCompletion else { return refuse(reply, "message refused") }
            return quit()
        case .quit, .closed:
            state = .closed
            return .close
        }
    }

    /// Advances after the shell completed the TLS handshake the machine asked for.
    mutating func tlsEstablished() -> Action {
        guard case .handshake = state else {
            preconditionFailure("TLS established while no handshake was requested (state \(state))")
        }
        isTLSActive = true
        return sendEHLO()
    }

    // MARK: - Opening

    private mutating func sendEHLO() -> Action {
        state = .ehlo
        step = .ehlo
        return .send(.ehlo(localHostName))
    }

    private mutating func receiveEHLO(_ reply: SMTPReply) -> Action {
        // RFC 5321 §4.1.4 lets a client fall back to HELO, but HELO cannot lead to STARTTLS: for a probe that
        // is a refused EHLO, and a submission needs TLS.
        guard reply.code == 250 else { return refuse(reply, "EHLO refused") }
        let extensions = SMTPServerExtensions(ehloReply: reply)
        if isTLSActive {
            extensionsAfterTLS = extensions
        } else {
            extensionsBeforeTLS = extensions
            if extensions.supportsSTARTTLS {
                state = .startTLS
                step = .startTLS
                return .send(.startTLS)
            }
        }
        switch mode {
        case .probe:
            return quit()
        case .submission(let plan):
            guard isTLSActive else {
                return fail(SMTPClientError(.startTLSUnavailable, "the relay does not offer STARTTLS", step: .ehlo))
            }
            return beginTransaction(plan, extensions: extensions)
        }
    }

    // MARK: - Submission

    private mutating func beginTransaction(_ plan: SMTPSubmissionPlan, extensions: SMTPServerExtensions) -> Action {
        let needsSMTPUTF8 = plan.requiresSMTPUTF8
        if needsSMTPUTF8, !extensions.supportsSMTPUTF8 {
            return fail(
                SMTPClientError(
                    .smtpUTF8Unavailable,
                    "an address is not ASCII and the relay does not offer SMTPUTF8",
                    step: .ehlo
                )
            )
        }
        let rendered = plan.message.rendered(allowing8Bit: extensions.supports8BitMIME)
        encodedMessage = SMTPDataEncoding.encode(rendered.bytes)
        transferEncoding = rendered.transferEncoding
        mailParameters = []
        if rendered.transferEncoding == .eightBit { mailParameters.append("BODY=8BITMIME") }
        if needsSMTPUTF8 { mailParameters.append("SMTPUTF8") }
        // RFC 1870: the size counts CRLF line ends but neither stuffing dots nor the final "." CRLF.
        let size = rendered.bytes.count
        if extensions.supports("SIZE") { mailParameters.append("SIZE=\(size)") }
        if let limit = extensions.maximumMessageSize, size > limit {
            return fail(
                SMTPClientError(
                    .messageTooLarge,
                    "the message has \(size) octets; the relay accepts at most \(limit)",
                    step: .mailFrom
                )
            )
        }
        guard let credentials = plan.credentials else { return sendMailFrom(plan) }
        let mechanisms = extensions.authenticationMechanisms
        if mechanisms.contains("PLAIN") {
            state = .authentication(.plain)
            step = .authentication
            return .send(.authenticate(mechanism: "PLAIN", initialResponse: credentials.plainInitialResponse))
        }
        if mechanisms.contains("LOGIN") {
            state = .authentication(.loginUserName)
            step = .authentication
            return .send(.authenticate(mechanism: "LOGIN", initialResponse: nil))
        }
        return fail(
            SMTPClientError(
                .authenticationUnavailable,
                "the relay offers neither AUTH PLAIN nor AUTH LOGIN (offered: \(mechanisms.joined(separator: " ")))",
                step: .authentication
            )
        )
    }

    private mutating func receiveAuthentication(_ reply: SMTPReply, stage: Authentication) -> Action {
        guard case .submission(let plan) = mode, let credentials = plan.credentials else {
            preconditionFailure("authentication without credentials")
        }
        switch (stage, reply.code) {
        case (.plain, 235), (.loginResult, 235):
            return sendMailFrom(plan)
        case (.loginUserName, 334):
            state = .authentication(.loginPassword)
            return .send(.authenticationResponse(credentials.loginUserNameResponse))
        case (.loginPassword, 334):
            state = .authentication(.loginResult)
            return .send(.authenticationResponse(credentials.loginPasswordResponse))
        case (.cancelled, _):
            return quit()
        case (_, 334):
            // A challenge the mechanism does not have: cancel rather than answer it (RFC 4954 §4).
            failure = SMTPClientError(.rejected, "unexpected AUTH challenge", step: .authentication, reply: reply)
            state = .authentication(.cancelled)
            return .send(.authenticationResponse("*"))
        default:
            return refuse(reply, "authentication refused")
        }
    }

    private mutating func sendMailFrom(_ plan: SMTPSubmissionPlan) -> Action {
        state = .mailFrom
        step = .mailFrom
        return .send(.mailFrom(plan.sender, parameters: mailParameters))
    }

    private mutating func sendRecipient(_ index: Int) -> Action {
        guard case .submission(let plan) = mode else { preconditionFailure("RCPT in a probe") }
        state = .recipient(index)
        step = .recipient
        return .send(.recipient(plan.recipients[index]))
    }

    private mutating func receiveRecipient(_ reply: SMTPReply, index: Int) -> Action {
        guard case .submission(let plan) = mode else { preconditionFailure("RCPT in a probe") }
        let recipient = plan.recipients[index]
        if reply.isPositiveCompletion {
            acceptedRecipients.append(recipient)
        } else {
            rejectedRecipients.append(SMTPRecipientRejection(recipient: recipient, reply: reply))
        }
        if index + 1 < plan.recipients.count {
            return sendRecipient(index + 1)
        }
        guard !acceptedRecipients.isEmpty else {
            // Report a transient refusal if there is one: then trying again later may succeed.
            let rejections = rejectedRecipients.map(\.reply)
            let reported = rejections.first(where: \.isTransientFailure) ?? rejections[0]
            return refuse(reported, "every recipient was refused")
        }
        state = .data
        step = .data
        return .send(.data)
    }

    // MARK: - Ending

    /// Records `reply` as the refusal of the current step and ends the session with QUIT.
    private mutating func refuse(_ reply: SMTPReply, _ message: String) -> Action {
        fail(SMTPClientError(.rejected, "\(message): \(reply)", step: step, reply: reply))
    }

    private mutating func fail(_ error: SMTPClientError) -> Action {
        failure = error
        return quit()
    }

    private mutating func quit() -> Action {
        state = .quit
        step = .quit
        return .send(.quit)
    }
}

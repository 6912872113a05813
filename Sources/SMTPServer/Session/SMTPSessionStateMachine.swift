import Foundation
import HTTPCore

/// One SMTP server session (RFC 5321) as a pure state machine: bytes from the client in, actions out.
///
/// The machine parses command lines and message data incrementally from its own buffer, keeps the session's state
/// (greeting, EHLO, the mail transaction, DATA, STARTTLS), enforces the limits and timeouts of
/// ``SMTPSessionConfiguration`` and decides every reply. It performs no I/O and reads no clock: `now` is monotonic
/// nanoseconds, and the wall-clock time stamped on a message comes from the injected `wallClock`.
///
/// The shell feeds events (``receive(_:now:)``, ``inputClosed()``, ``timerFired(now:)``, the results of the actions)
/// and then pulls actions with ``next(now:)`` until it gets one that waits:
/// - ``Action/send(_:)``: queue this reply; keep pulling. Replies to pipelined commands (RFC 2920) come one after
///   the other in command order, and the shell writes them when the machine waits for input, before it blocks.
/// - ``Action/verifyRecipient(_:_:)``: ask the receiver, answer with ``recipientVerdict(_:)``.
/// - ``Action/deliver(_:)``: hand the message over; the session waits (``Action/awaitDelivery``) until
///   ``deliveryFinished(_:now:)``.
/// - ``Action/startTLS``: the `220 Ready to start TLS` reply has been pulled; write it, then run the handshake and
///   call ``tlsStarted(now:)``. Whatever the client sent after STARTTLS has been discarded already, so no command
///   pipelined in plaintext can run inside the TLS session (CVE-2011-0411); the session then starts over (RFC 3207
///   §4.2: the client sends EHLO again) and STARTTLS is no longer offered.
/// - ``Action/awaitInput``: write what is queued and read more.
/// - ``Action/close(_:)``: write what is queued, then close.
///
/// ```swift
/// var session = SMTPSessionStateMachine(configuration: configuration, clientAddress: peer, isTLSAvailable: true,
///                                       now: clock.now)
/// session.receive(bytes, now: clock.now)
/// loop: while true {
///     switch session.next(now: clock.now) {
///     case .send(let reply): output += reply.encoded()
///     case .verifyRecipient(let path, let info): session.recipientVerdict(receiver.verdict(forRecipient: path, session: info))
///     case .awaitInput: break loop
///     …
///     }
/// }
/// ```
struct SMTPSessionStateMachine: Sendable {
    /// What the shell does next.
    enum Action: Sendable, Hashable {
        /// Queue this reply for writing, then pull the next action.
        case send(SMTPServerReply)
        /// Ask the receiver about this recipient, then ``recipientVerdict(_:)``.
        case verifyRecipient(SMTPPath, SMTPSessionInfo)
        /// Hand this message to the receiver, then ``deliveryFinished(_:now:)`` (or ``deliveryRefused(now:)`` when it
        /// cannot be handed over).
        case deliver(SMTPReceivedMessage)
        /// Write the queued replies (the last one is `220 Ready to start TLS`), run the TLS handshake, then
        /// ``tlsStarted(now:)``.
        case startTLS
        /// Write the queued replies and wait for bytes from the client.
        case awaitInput
        /// A delivery is under way: wait for ``deliveryFinished(_:now:)``.
        case awaitDelivery
        /// The TLS handshake is under way: wait for ``tlsStarted(now:)``.
        case awaitTLS
        /// Write the queued replies, then close the connection.
        case close(CloseReason)
    }

    /// Why the session ended.
    enum CloseReason: Sendable, Hashable {
        /// The client sent QUIT.
        case quit
        /// A command, the data or the whole session took too long (421 4.4.2).
        case timedOut
        /// The client made ``SMTPSessionConfiguration/maximumErrors`` errors (421 4.7.0).
        case tooManyErrors
        /// The client sent too many commands without a transaction (421 4.7.0).
        case tooManyCommands
        /// The client went on sending data far past the size limit (552 5.3.4).
        case messageTooLarge
        /// The server is shutting down (421 4.3.2).
        case shuttingDown
        /// The client closed its side of the connection.
        case peerClosed
    }

    /// What the session has done, for the listener's counters; the shell adds the difference after each event.
    struct Statistics: Sendable, Hashable {
        /// Recipients accepted by the receiver.
        var recipientsAccepted = 0
        /// Recipients refused: by the receiver, or over the per-transaction limit.
        var recipientsRefused = 0
        /// Messages the receiver accepted (250 after the data).
        var messagesAccepted = 0
        /// Messages refused: too large, a line too long, or by the receiver.
        var messagesRefused = 0
        /// Commands refused as client errors (500, 501, 502, 503, 554, 555).
        var commandErrors = 0
    }

    /// Where the session is.
    private enum Phase: Sendable {
        /// Before the greeting.
        case greeting
        /// Reading commands.
        case command
        /// A RCPT waits for the receiver's verdict.
        case verifyingRecipient(SMTPPath)
        /// Reading the message after 354.
        case data(SMTPDataReader)
        /// The message is with the receiver.
        case delivering
        /// After the 220 for STARTTLS; `isRequested` once ``Action/startTLS`` has been pulled.
        case startingTLS(isRequested: Bool)
        /// The queued replies go out, then the session closes.
        case closing(CloseReason)
        /// Closed.
        case closed(CloseReason)
    }

    /// MAIL FROM and the recipients accepted since.
    struct Transaction: Sendable, Hashable {
        var reversePath: SMTPPath
        var bodyType: SMTPBodyType?
        var recipients: [SMTPPath] = []
    }

    /// The limits, timeouts and host name in force.
    let configuration: SMTPSessionConfiguration
    /// The TCP peer, for the receiver.
    let clientAddress: ClientAddress
    /// Whether the listener has a TLS context, so STARTTLS is offered until TLS is active.
    let isTLSAvailable: Bool
    /// Whether the session runs over TLS (after STARTTLS).
    private(set) var usesTLS = false
    /// What the session has done so far.
    private(set) var statistics = Statistics()
    /// The EHLO or HELO name of the session, once given.
    private(set) var heloName: String?
    /// The mail transaction under way.
    private(set) var transaction: Transaction?

    private let wallClock: @Sendable () -> Date
    private var phase = Phase.greeting
    private var inbound = ByteBuffer()
    private var pendingReplies: [SMTPServerReply] = []
    private var errors = 0
    private var commandsWithoutTransaction = 0
    private var isDiscardingLongLine = false
    private var isDraining = false
    private let sessionDeadline: UInt64
    private var commandDeadline: UInt64
    private var dataStart: UInt64 = 0
    private var dataProgressDeadline: UInt64 = .max
    private var dataReceivedBytes = 0

    /// Creates the session of a connection accepted at `now`; the session deadline starts at once.
    ///
    /// - Parameters:
    ///   - configuration: Limits, timeouts and the host name.
    ///   - clientAddress: The TCP peer.
    ///   - isTLSAvailable: Whether STARTTLS can be offered (the listener has a TLS context).
    ///   - now: Monotonic nanoseconds.
    ///   - wallClock: The time stamped on received messages.
    init(
        configuration: SMTPSessionConfiguration,
        clientAddress: ClientAddress,
        isTLSAvailable: Bool,
        now: UInt64,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.clientAddress = clientAddress
        self.isTLSAvailable = isTLSAvailable
        self.wallClock = wallClock
        sessionDeadline = now.adding(configuration.sessionTimeout)
        commandDeadline = now.adding(configuration.commandTimeout)
    }

    /// When ``timerFired(now:)`` must next be called, or nil once the session is closing.
    var nextDeadline: UInt64? {
        switch phase {
        case .greeting, .command: min(sessionDeadline, commandDeadline)
        case .data: min(sessionDeadline, min(dataProgressDeadline, dataRateDeadline))
        case .verifyingRecipient, .delivering, .startingTLS: sessionDeadline
        case .closing, .closed: nil
        }
    }

    /// The received bytes not consumed yet. Whenever ``next(now:)`` asks for input this is a partial line, shorter
    /// than the command or text line limit: an over-long line is dropped as it arrives.
    var bufferedByteCount: Int { inbound.readableBytes }

    /// Whether the session reads bytes now: it waits for a command or for message data.
    var isAwaitingInput: Bool {
        switch phase {
        case .greeting, .command, .data: true
        case .verifyingRecipient, .delivering, .startingTLS, .closing, .closed: false
        }
    }

    // MARK: - Events

    /// Bytes arrived from the client.
    ///
    /// Bytes that arrive after STARTTLS and before ``tlsStarted(now:)``, or once the session is closing, are
    /// dropped.
    mutating func receive(_ bytes: some Collection<UInt8>, now: UInt64) {
        switch phase {
        case .greeting, .command, .verifyingRecipient, .delivering:
            inbound.append(contentsOf: bytes)
        case .data:
            inbound.append(contentsOf: bytes)
            dataProgressDeadline = now.adding(configuration.dataProgressTimeout)
        case .startingTLS, .closing, .closed:
            break
        }
    }

    /// The client closed its side: the session ends (replies already queued are still written).
    mutating func inputClosed() {
        switch phase {
        case .closing, .closed: break
        default: phase = .closing(.peerClosed)
        }
    }

    /// The timer fired at `now`: a command, the data or the session may have run out of time.
    mutating func timerFired(now: UInt64) {
        let isLate: Bool
        switch phase {
        case .closing, .closed: return
        case .greeting, .command: isLate = now >= commandDeadline
        case .data: isLate = now >= dataProgressDeadline || now >= dataRateDeadline
        case .verifyingRecipient, .delivering, .startingTLS: isLate = false
        }
        if isLate || now >= sessionDeadline {
            end(with: .timeout(hostname: configuration.hostname), reason: .timedOut)
        }
    }

    /// The server is shutting down: the session ends with 421 4.3.2 at the next command boundary, so a message
    /// being received or delivered is finished first.
    mutating func shutdownRequested() {
        isDraining = true
    }

    /// The receiver's verdict for the recipient of ``Action/verifyRecipient(_:_:)``.
    mutating func recipientVerdict(_ verdict: SMTPRecipientVerdict) {
        guard case .verifyingRecipient(let path) = phase else { return }
        phase = .command
        guard transaction != nil else { return }
        switch verdict {
        case .accept:
            transaction?.recipients.append(path)
            statistics.recipientsAccepted += 1
            pendingReplies.append(.recipientOK)
        case .refuse(let reply):
            statistics.recipientsRefused += 1
            refuse(reply.isFailure ? reply : .localError)
        }
    }

    /// The receiver's verdict for the message of ``Action/deliver(_:)``, at `now`.
    mutating func deliveryFinished(_ verdict: SMTPDeliveryVerdict, now: UInt64) {
        guard case .delivering = phase else { return }
        phase = .command
        transaction = nil
        commandDeadline = now.adding(configuration.commandTimeout)
        switch verdict {
        case .accepted(let id):
            statistics.messagesAccepted += 1
            commandsWithoutTransaction = 0
            pendingReplies.append(.queued(id: id))
        case .refused(let reply):
            statistics.messagesRefused += 1
            pendingReplies.append(reply.isFailure ? reply : .localError)
        }
    }

    /// The message of ``Action/deliver(_:)`` could not be handed to the receiver (its queue is full): 451 4.3.2.
    mutating func deliveryRefused(now: UInt64) {
        deliveryFinished(.refused(.tryAgainLater), now: now)
    }

    /// The TLS handshake after STARTTLS completed at `now`: the session starts over (RFC 3207 §4.2).
    mutating func tlsStarted(now: UInt64) {
        guard case .startingTLS = phase else { return }
        usesTLS = true
        heloName = nil
        transaction = nil
        inbound.clear()
        isDiscardingLongLine = false
        phase = .command
        commandDeadline = now.adding(configuration.commandTimeout)
    }

    // MARK: - Actions

    /// The next action; call until it is one that waits (``Action/awaitInput``, ``Action/awaitDelivery``,
    /// ``Action/awaitTLS``, ``Action/close(_:)``) or needs an answer.
    mutating func next(now: UInt64) -> Action {
        while true {
            if !pendingReplies.isEmpty { return .send(pendingReplies.removeFirst()) }
            switch phase {
            case .greeting:
                phase = .command
                commandDeadline = now.adding(configuration.commandTimeout)
                return .send(.greeting(hostname: configuration.hostname))
            case .command:
                if isDraining {
                    end(with: .shuttingDown(hostname: configuration.hostname), reason: .shuttingDown)
                    continue
                }
                guard processCommand(now: now) else {
                    if inbound.isEmpty || inbound.readerIndex > 4096 { inbound.discardReadBytes() }
                    return .awaitInput
                }
            case .verifyingRecipient(let path):
                return .verifyRecipient(path, sessionInfo)
            case .data:
                if let action = readData(now: now) { return action }
            case .delivering:
                return .awaitDelivery
            case .startingTLS(let isRequested):
                guard !isRequested else { return .awaitTLS }
                phase = .startingTLS(isRequested: true)
                return .startTLS
            case .closing(let reason):
                phase = .closed(reason)
                return .close(reason)
            case .closed(let reason):
                return .close(reason)
            }
        }
    }

    // MARK: - Data

    /// The deadline the data rate sets: the grace period, plus a second per `minimumDataRate` octets received.
    private var dataRateDeadline: UInt64 {
        guard configuration.minimumDataRate > 0 else { return .max }
        let (scaled, overflow) = UInt64(dataReceivedBytes).multipliedReportingOverflow(by: 1_000_000_000)
        let allowance = overflow ? .max : scaled / UInt64(configuration.minimumDataRate)
        let (deadline, late) = dataStart.adding(configuration.dataRateGracePeriod).addingReportingOverflow(allowance)
        return late ? .max : deadline
    }

    /// Starts reading the message after 354 at `now`.
    private mutating func beginData(now: UInt64) {
        pendingReplies.append(.startMailInput)
        dataStart = now
        dataReceivedBytes = 0
        dataProgressDeadline = now.adding(configuration.dataProgressTimeout)
        phase = .data(
            SMTPDataReader(
                maximumMessageBytes: configuration.maximumMessageBytes,
                maximumLineBytes: configuration.maximumTextLineBytes
            )
        )
    }

    /// Reads message data from the buffer; the action when the data ended, nil to go on with the next phase.
    private mutating func readData(now: UInt64) -> Action? {
        guard case .data(var reader) = phase else { return nil }
        // Drop the phase's reference so the reader's content is uniquely referenced while it grows.
        phase = .command
        let outcome = reader.read(from: &inbound)
        dataReceivedBytes = reader.receivedBytes
        guard let outcome else {
            phase = .data(reader)
            if inbound.readerIndex > 4096 { inbound.discardReadBytes() }
            return .awaitInput
        }
        commandDeadline = now.adding(configuration.commandTimeout)
        switch outcome {
        case .complete(let content):
            guard let transaction, let heloName else { return nil }
            phase = .delivering
            return .deliver(
                SMTPReceivedMessage(
                    reversePath: transaction.reversePath,
                    recipients: transaction.recipients,
                    content: content,
                    bodyType: transaction.bodyType,
                    clientAddress: clientAddress,
                    heloName: heloName,
                    usesTLS: usesTLS,
                    receivedAt: wallClock()
                )
            )
        case .tooLarge:
            refuseMessage(.messageTooBig)
        case .lineTooLong:
            refuseMessage(.lineTooLong)
        case .abandoned:
            statistics.messagesRefused += 1
            transaction = nil
            end(with: .messageTooBigClosing, reason: .messageTooLarge)
        }
        return nil
    }

    private mutating func refuseMessage(_ reply: SMTPServerReply) {
        statistics.messagesRefused += 1
        transaction = nil
        pendingReplies.append(reply)
    }

    // MARK: - Shared steps

    /// What the receiver is told about the session for a recipient.
    private var sessionInfo: SMTPSessionInfo {
        SMTPSessionInfo(
            clientAddress: clientAddress,
            heloName: heloName ?? "",
            usesTLS: usesTLS,
            reversePath: transaction?.reversePath ?? .null,
            acceptedRecipients: transaction?.recipients ?? []
        )
    }

    /// Queues a refusal that counts as a client error; the last error allowed ends the session with 421 4.7.0.
    private mutating func refuse(_ reply: SMTPServerReply) {
        errors += 1
        statistics.commandErrors += 1
        pendingReplies.append(reply)
        if errors >= configuration.maximumErrors {
            end(with: .tooManyErrors(hostname: configuration.hostname), reason: .tooManyErrors)
        }
    }

    /// Counts a command that does not advance a transaction.
    /// - Returns: false, having ended the session with 421 4.7.0, when it is one too many.
    private mutating func countCommandWithoutTransaction() -> Bool {
        commandsWithoutTransaction += 1
        guard commandsWithoutTransaction > configuration.maximumCommandsWithoutTransaction else { return true }
        end(with: .tooManyCommands(hostname: configuration.hostname), reason: .tooManyCommands)
        return false
    }

    /// Queues `reply` after what is queued and ends the session.
    private mutating func end(with reply: SMTPServerReply, reason: CloseReason) {
        pendingReplies.append(reply)
        phase = .closing(reason)
    }

    // MARK: - Command lines

    /// One command line from the buffer.
    private enum CommandLine {
        case line(ArraySlice<UInt8>)
        case tooLong
    }

    /// Processes the next complete command line, if there is one.
    /// - Returns: false when the buffer holds no complete line.
    private mutating func processCommand(now: UInt64) -> Bool {
        guard let line = nextCommandLine() else { return false }
        commandDeadline = now.adding(configuration.commandTimeout)
        switch line {
        case .tooLong:
            refuse(.lineTooLong)
        case .line(let bytes):
            do {
                handle(try SMTPCommand(parsing: bytes), now: now)
            } catch {
                refuse(error.reply)
            }
        }
        return true
    }

    /// Takes the next command line from the buffer (without its CRLF or bare LF).
    ///
    /// A line longer than the limit is reported once, as soon as it is known to be too long, and the rest of it is
    /// dropped as it arrives, so an endless line costs no memory.
    private mutating func nextCommandLine() -> CommandLine? {
        if isDiscardingLongLine {
            guard let lineFeed = inbound.firstIndex(of: 0x0A) else {
                inbound.clear()
                return nil
            }
            inbound.moveReaderIndex(to: lineFeed + 1)
            isDiscardingLongLine = false
        }
        guard let lineFeed = inbound.firstIndex(of: 0x0A) else {
            guard inbound.readableBytes >= configuration.maximumCommandLineBytes else { return nil }
            inbound.clear()
            isDiscardingLongLine = true
            return .tooLong
        }
        let start = inbound.readerIndex
        var end = lineFeed
        if end > start, inbound.storage[end - 1] == 0x0D { end -= 1 }
        inbound.moveReaderIndex(to: lineFeed + 1)
        // The limit counts the CRLF (§4.5.3.1.4); a bare LF is counted as if it were one.
        guard end - start + 2 <= configuration.maximumCommandLineBytes else { return .tooLong }
        return .line(inbound.storage[start..<end])
    }

    // MARK: - Commands (RFC 5321 §4.1.1, §4.1.4; RFC 3207 §4)

    /// Answers one parsed command.
    private mutating func handle(_ command: SMTPCommand, now: UInt64) {
        let hostname = configuration.hostname
        switch command {
        case .ehlo(let name):
            guard countCommandWithoutTransaction() else { return }
            // EHLO and HELO reset the transaction (§4.1.4).
            heloName = name
            transaction = nil
            pendingReplies.append(ehloReply)
        case .helo(let name):
            guard countCommandWithoutTransaction() else { return }
            heloName = name
            transaction = nil
            pendingReplies.append(.helo(hostname: hostname))
        case .mail(let path, let parameters):
            guard heloName != nil else { return refuse(.heloFirst) }
            guard transaction == nil else { return refuse(.nestedMail) }
            // RFC 1870 §6: a declared size over the limit is refused at once, as a permanent failure.
            if let size = parameters.size, size > configuration.maximumMessageBytes {
                statistics.messagesRefused += 1
                pendingReplies.append(.messageTooBig)
                return
            }
            transaction = Transaction(reversePath: path, bodyType: parameters.body)
            pendingReplies.append(.senderOK)
        case .rcpt(let path):
            guard let transaction else { return refuse(heloName == nil ? .heloFirst : .mailFirst) }
            // §4.5.3.1.10: 452 tells the client to send the rest in another transaction; not a client error.
            guard transaction.recipients.count < configuration.maximumRecipients else {
                statistics.recipientsRefused += 1
                pendingReplies.append(.tooManyRecipients)
                return
            }
            phase = .verifyingRecipient(path)
        case .data:
            guard let transaction else { return refuse(heloName == nil ? .heloFirst : .mailFirst) }
            guard !transaction.recipients.isEmpty else { return refuse(.noValidRecipients) }
            beginData(now: now)
        case .rset:
            guard countCommandWithoutTransaction() else { return }
            transaction = nil
            pendingReplies.append(.ok)
        case .noop:
            guard countCommandWithoutTransaction() else { return }
            pendingReplies.append(.ok)
        case .vrfy:
            guard countCommandWithoutTransaction() else { return }
            pendingReplies.append(.cannotVerify)
        case .help:
            guard countCommandWithoutTransaction() else { return }
            pendingReplies.append(.help)
        case .quit:
            end(with: .closing(hostname: hostname), reason: .quit)
        case .startTLS:
            guard isTLSAvailable else { return refuse(.notImplemented) }
            guard !usesTLS else { return refuse(.tlsAlreadyActive) }
            pendingReplies.append(.readyToStartTLS)
            phase = .startingTLS(isRequested: false)
            // Whatever followed STARTTLS was sent in plaintext and must not run inside TLS (RFC 3207 §6,
            // CVE-2011-0411): the buffer is emptied, and bytes that arrive before the handshake are dropped.
            inbound.clear()
            isDiscardingLongLine = false
        case .notImplemented:
            refuse(.notImplemented)
        }
    }

    /// The EHLO reply: the host name, then the extensions (RFC 1870, 6152, 2034, 2920, 3207); no enhanced code
    /// (RFC 2034 §3).
    private var ehloReply: SMTPServerReply {
        var lines = [
            configuration.hostname, "SIZE \(configuration.maximumMessageBytes)", "8BITMIME", "ENHANCEDSTATUSCODES",
            "PIPELINING",
        ]
        if isTLSAvailable && !usesTLS { lines.append("STARTTLS") }
        return SMTPServerReply(code: 250, lines: lines)
    }
}

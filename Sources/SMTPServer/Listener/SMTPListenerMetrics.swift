import Synchronization

/// Counters kept by an ``SMTPListener``; read at any time from any thread (Prometheus `/metrics`).
///
/// ```swift
/// let metrics = listener.metrics
/// lines.append("smtp_messages_accepted_total \(metrics.messagesAccepted)")
/// ```
package final class SMTPListenerMetrics: Sendable {
    private let openConnections = Atomic<Int>(0)
    private let acceptedConnections = Atomic<Int>(0)
    private let rejectedConnections = Atomic<Int>(0)
    private let rejectedPerAddress = Atomic<Int>(0)
    private let acceptPauses = Atomic<Int>(0)
    private let tlsSessionCount = Atomic<Int>(0)
    private let acceptedMessages = Atomic<Int>(0)
    private let refusedMessages = Atomic<Int>(0)
    private let deferredDeliveries = Atomic<Int>(0)
    private let acceptedRecipients = Atomic<Int>(0)
    private let refusedRecipients = Atomic<Int>(0)
    private let refusedCommands = Atomic<Int>(0)
    private let closeReasons = Mutex<[String: Int]>([:])

    /// Creates zeroed counters.
    package init() {}

    // MARK: - Recording (the listener's connections)

    func connectionOpened() -> Int {
        acceptedConnections.add(1, ordering: .relaxed)
        return openConnections.add(1, ordering: .relaxed).newValue
    }

    func connectionClosed() {
        openConnections.subtract(1, ordering: .relaxed)
    }

    func connectionRejected(perAddress: Bool) {
        rejectedConnections.add(1, ordering: .relaxed)
        if perAddress { rejectedPerAddress.add(1, ordering: .relaxed) }
    }

    func acceptPaused() {
        acceptPauses.add(1, ordering: .relaxed)
    }

    func tlsSessionStarted() {
        tlsSessionCount.add(1, ordering: .relaxed)
    }

    func deliveryDeferred() {
        deferredDeliveries.add(1, ordering: .relaxed)
    }

    func sessionClosed(reason: String) {
        closeReasons.withLock { $0[reason, default: 0] += 1 }
    }

    /// Adds what sessions did since they last reported.
    func record(_ delta: SMTPSessionStateMachine.Statistics) {
        if delta.messagesAccepted != 0 { acceptedMessages.add(delta.messagesAccepted, ordering: .relaxed) }
        if delta.messagesRefused != 0 { refusedMessages.add(delta.messagesRefused, ordering: .relaxed) }
        if delta.recipientsAccepted != 0 { acceptedRecipients.add(delta.recipientsAccepted, ordering: .relaxed) }
        if delta.recipientsRefused != 0 { refusedRecipients.add(delta.recipientsRefused, ordering: .relaxed) }
        if delta.commandErrors != 0 { refusedCommands.add(delta.commandErrors, ordering: .relaxed) }
    }

    // MARK: - Reading

    /// Connections open now.
    package var currentConnections: Int { openConnections.load(ordering: .relaxed) }
    /// Connections accepted since start (refused ones included).
    package var totalAccepted: Int { acceptedConnections.load(ordering: .relaxed) }
    /// Connections refused at accept by a cap (the listener's or the per-address one).
    package var totalRejected: Int { rejectedConnections.load(ordering: .relaxed) }
    /// Connections refused at accept because their client already had its share.
    package var totalRejectedPerAddress: Int { rejectedPerAddress.load(ordering: .relaxed) }
    /// Times a listener stopped accepting for a while because `accept` failed.
    package var totalAcceptPauses: Int { acceptPauses.load(ordering: .relaxed) }
    /// STARTTLS handshakes completed.
    package var tlsSessions: Int { tlsSessionCount.load(ordering: .relaxed) }
    /// Messages the receiver accepted.
    package var messagesAccepted: Int { acceptedMessages.load(ordering: .relaxed) }
    /// Messages refused: too large, a line too long, by the receiver, or because the delivery pool was full.
    package var messagesRefused: Int { refusedMessages.load(ordering: .relaxed) }
    /// Messages refused with 451 4.3.2 because the delivery pool's queue was full (also in ``messagesRefused``).
    package var deliveriesDeferred: Int { deferredDeliveries.load(ordering: .relaxed) }
    /// Recipients the receiver accepted.
    package var recipientsAccepted: Int { acceptedRecipients.load(ordering: .relaxed) }
    /// Recipients refused by the receiver or over the per-transaction limit.
    package var recipientsRefused: Int { refusedRecipients.load(ordering: .relaxed) }
    /// Commands refused as client errors (unknown, syntax, sequence).
    package var commandErrors: Int { refusedCommands.load(ordering: .relaxed) }
    /// Closed connections by reason: `quit`, `timeout`, `too_many_errors`, `too_many_commands`,
    /// `message_too_large`, `shutdown`, `peer_closed`, `handshake_failed`, `handshake_timeout`, `tls_failed`,
    /// `transport_failed`, `send_timeout`, `aborted`.
    package var closesByReason: [String: Int] { closeReasons.withLock { $0 } }
}

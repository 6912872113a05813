import Logging
import SystemIO

// MARK: - Driving a session

extension SMTPConnection {
    /// Executes `action` and every action `machine` returns after it, until it says to close.
    ///
    /// Each wait ends at the earlier of its step's timeout and `deadline` (the session's overall budget).
    /// - Parameters:
    ///   - machine: The session's state machine.
    ///   - action: The action to start with (the machine's last answer).
    ///   - timeouts: The per-step limits.
    ///   - deadline: The overall deadline.
    ///   - logger: Commands are logged at debug level, credentials redacted.
    ///   - startTLS: Runs the handshake when the machine asks for it (with the context and peer name the caller
    ///     needs) and may inspect the result.
    /// - Throws: ``SMTPClientError`` from the I/O of the current ``SMTPClientStateMachine/step``; refusals are
    ///   not thrown but recorded in ``SMTPClientStateMachine/failure``.
    func run(
        _ machine: inout SMTPClientStateMachine,
        from action: SMTPClientStateMachine.Action,
        timeouts: SMTPTimeouts,
        deadline: Deadline,
        logger: Logger,
        startTLS: (SMTPConnection, Deadline) throws(SMTPClientError) -> Void
    ) throws(SMTPClientError) {
        var action = action
        while true {
            let step = machine.step
            let stepDeadline = min(.after(timeouts.limit(for: step)), deadline)
            switch action {
            case .receiveGreeting:
                action = machine.receive(try readReply(step: step, deadline: stepDeadline))
            case .send(let command):
                logger.debug("smtp command", ["server": "\(address)", "command": command.logDescription])
                action = machine.receive(try exchange(command, step: step, deadline: stepDeadline))
            case .sendMessage(let bytes):
                logger.debug("smtp message", ["server": "\(address)", "octets": String(bytes.count)])
                try write(bytes, step: step, deadline: stepDeadline)
                action = machine.receive(try readReply(step: step, deadline: stepDeadline))
            case .startTLS:
                try startTLS(self, stepDeadline)
                action = machine.tlsEstablished()
            case .close:
                return
            }
        }
    }
}

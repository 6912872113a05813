/// How long an SMTP session may wait at each step, and in total.
///
/// Every wait has its own limit, and ``total`` bounds the whole session on top (for the probe: every address of
/// the host). RFC 5321 §4.5.3.2 suggests minutes per step for senders delivering mail; a checker waits less and
/// says which step timed out, and an alert mailer does not hold a worker thread for ten minutes.
///
/// ```swift
/// var timeouts = SMTPTimeouts()
/// timeouts.greeting = .seconds(5)
/// timeouts.total = .seconds(20)
/// ```
package struct SMTPTimeouts: Sendable, Hashable {
    /// Longest wait for one TCP connection.
    package var connect: Duration = .seconds(10)
    /// Longest wait for the 220 greeting after connecting (RFC 5321 §4.5.3.2.1 suggests 5 minutes).
    package var greeting: Duration = .seconds(30)
    /// Longest wait for the reply to each command (EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT).
    package var command: Duration = .seconds(30)
    /// Longest time for a TLS handshake.
    package var tlsHandshake: Duration = .seconds(30)
    /// Longest time to send the message and receive the reply to its final `.` (§4.5.3.2.6 suggests 10 minutes).
    package var message: Duration = .seconds(120)
    /// Longest time for the whole session, from resolving the host to QUIT.
    package var total: Duration = .seconds(180)

    /// The defaults: 10 s to connect, 30 s per reply and handshake, 120 s for the message, 180 s in total.
    package init() {}

    /// The limit for one wait in `step`.
    func limit(for step: SMTPStep) -> Duration {
        switch step {
        case .resolve, .connect: connect
        case .greeting: greeting
        case .tlsHandshake: tlsHandshake
        case .message: message
        case .ehlo, .startTLS, .authentication, .mailFrom, .recipient, .data, .quit: command
        }
    }
}

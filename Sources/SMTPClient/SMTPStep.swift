/// A step of an SMTP session: what the client was doing when something failed or timed out.
package enum SMTPStep: String, Sendable, Hashable, CustomStringConvertible {
    /// Resolving the server's name to addresses.
    case resolve
    /// The TCP connection.
    case connect
    /// Waiting for the 220 greeting (RFC 5321 §4.3.1).
    case greeting
    /// EHLO and its reply (the second EHLO after STARTTLS too).
    case ehlo
    /// STARTTLS and its 220 (RFC 3207 §4).
    case startTLS
    /// The TLS handshake (after STARTTLS or, for implicit TLS, right after connecting).
    case tlsHandshake
    /// AUTH and its challenges (RFC 4954).
    case authentication
    /// MAIL FROM.
    case mailFrom
    /// RCPT TO.
    case recipient
    /// DATA and its 354.
    case data
    /// Sending the message and waiting for the final reply.
    case message
    /// QUIT and its 221.
    case quit

    /// The case name, e.g. `startTLS`.
    package var description: String { rawValue }
}

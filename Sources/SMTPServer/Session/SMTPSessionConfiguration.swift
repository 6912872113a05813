/// The limits and timeouts of one SMTP session, and the name the server greets with.
///
/// RFC 5321 §4.5.3.2 asks for generous timeouts (5 minutes per command, 10 minutes for the whole DATA) because
/// a relay must not give up on a slow peer. A report intake can be stricter: reports are small, senders retry
/// (RFC 8460 §5.5), and every held connection is one a hostile client could be holding instead.
///
/// ```swift
/// var session = SMTPSessionConfiguration(hostname: "reports.mtasts.example")
/// session.maximumMessageBytes = 2 << 20
/// session.commandTimeout = .seconds(30)
/// ```
package struct SMTPSessionConfiguration: Sendable, Hashable {
    /// The server's name in the greeting, EHLO, HELO and 421 replies.
    package var hostname: String
    /// The largest message accepted, in octets (CRLF line ends, unstuffed); advertised as `SIZE` (RFC 1870).
    /// A MAIL whose `SIZE=` is larger gets 552 5.3.4; a message that turns out larger is refused with 552 5.3.4 at
    /// the end of its data.
    package var maximumMessageBytes: Int
    /// Recipients accepted per transaction; RCPT commands beyond get 452 4.5.3 (RFC 5321 §4.5.3.1.10), and the
    /// client sends them again in another transaction.
    package var maximumRecipients: Int
    /// The longest command line, CRLF included: 512 (RFC 5321 §4.5.3.1.4). Longer lines get 500 5.5.2.
    package var maximumCommandLineBytes: Int
    /// The longest line of message text, CRLF included: 1000 (RFC 5321 §4.5.3.1.6). A longer line refuses the
    /// message with 500 5.5.2 at the end of its data.
    package var maximumTextLineBytes: Int
    /// Refused commands (syntax, sequence, unknown, refused recipients) after which the session ends with
    /// 421 4.7.0.
    package var maximumErrors: Int
    /// Commands that do not advance a transaction (NOOP, RSET, VRFY, HELP, EHLO, HELO) allowed between two
    /// delivered messages; one more ends the session with 421 4.7.0.
    package var maximumCommandsWithoutTransaction: Int
    /// How long the server waits for each complete command line (RFC 5321 §4.5.3.2: at least 5 minutes for a
    /// relay). Bytes that do not complete a line do not extend it.
    package var commandTimeout: Duration
    /// How long the data may pause between two reads (RFC 5321 §4.5.3.2.6 "DATA block").
    package var dataProgressTimeout: Duration
    /// The average rate, in octets per second, the data must keep up once ``dataRateGracePeriod`` has passed;
    /// 0 turns the check off. The deadline moves one second later for every `minimumDataRate` octets.
    package var minimumDataRate: Int
    /// How long after the 354 the data may take before ``minimumDataRate`` applies.
    package var dataRateGracePeriod: Duration
    /// The longest a session may last from the greeting, whatever it does.
    package var sessionTimeout: Duration

    /// Creates a configuration.
    ///
    /// The defaults: 10 MiB messages (the size RFC 8460 §5.2 mentions as a common limit for reports), 10
    /// recipients, 512-octet command lines, 1000-octet text lines, 10 errors, 20 commands without a transaction,
    /// 60 s per command and between data reads, a minimum data rate of 1000 octets/s after 10 s, and 10 minutes
    /// per session.
    package init(
        hostname: String,
        maximumMessageBytes: Int = 10 * 1024 * 1024,
        maximumRecipients: Int = 10,
        maximumCommandLineBytes: Int = 512,
        maximumTextLineBytes: Int = 1000,
        maximumErrors: Int = 10,
        maximumCommandsWithoutTransaction: Int = 20,
        commandTimeout: Duration = .seconds(60),
        dataProgressTimeout: Duration = .seconds(60),
        minimumDataRate: Int = 1000,
        dataRateGracePeriod: Duration = .seconds(10),
        sessionTimeout: Duration = .seconds(600)
    ) {
        self.hostname = hostname
        self.maximumMessageBytes = maximumMessageBytes
        self.maximumRecipients = maximumRecipients
        self.maximumCommandLineBytes = maximumCommandLineBytes
        self.maximumTextLineBytes = maximumTextLineBytes
        self.maximumErrors = maximumErrors
        self.maximumCommandsWithoutTransaction = maximumCommandsWithoutTransaction
        self.commandTimeout = commandTimeout
        self.dataProgressTimeout = dataProgressTimeout
        self.minimumDataRate = minimumDataRate
        self.dataRateGracePeriod = dataRateGracePeriod
        self.sessionTimeout = sessionTimeout
    }
}

/// One command line from the client, parsed (RFC 5321 §4.1.1).
///
/// ```swift
/// let command = try SMTPCommand(parsing: Array("MAIL FROM:<> SIZE=1024".utf8)[...])
/// // .mail(.null, SMTPMailParameters(size: 1024, body: nil))
/// ```
enum SMTPCommand: Sendable, Hashable {
    /// `EHLO <domain>`.
    case ehlo(String)
    /// `HELO <domain>`.
    case helo(String)
    /// `MAIL FROM:<reverse-path> [parameters]`.
    case mail(SMTPPath, SMTPMailParameters)
    /// `RCPT TO:<forward-path>`.
    case rcpt(SMTPPath)
    /// `DATA`.
    case data
    /// `RSET`.
    case rset
    /// `NOOP [string]`.
    case noop
    /// `QUIT`.
    case quit
    /// `VRFY <string>`.
    case vrfy
    /// `HELP [string]`.
    case help
    /// `STARTTLS` (RFC 3207).
    case startTLS
    /// A command RFC 5321 or a common extension defines that this server does not implement (EXPN, TURN, ETRN,
    /// AUTH, BDAT, …): answered 502 rather than 500.
    case notImplemented
}

/// The parameters of MAIL this server understands (RFC 1870 SIZE, RFC 6152 BODY).
struct SMTPMailParameters: Sendable, Hashable {
    /// The size the client declared, in octets; `Int.max` when the number does not fit.
    var size: Int?
    /// The body type the client declared.
    var body: SMTPBodyType?
}

/// What a message's body may contain, as MAIL's `BODY=` declared it (RFC 6152).
package enum SMTPBodyType: String, Sendable, Hashable {
    /// `BODY=7BIT`: US-ASCII only.
    case sevenBit = "7BIT"
    /// `BODY=8BITMIME`: octets above 127 may appear in lines (still at most 1000 octets each).
    case eightBitMIME = "8BITMIME"
}

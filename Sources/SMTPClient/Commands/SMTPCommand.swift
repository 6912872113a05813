/// A command the client sends (RFC 5321 §4.1.1, RFC 3207, RFC 4954), rendered as one CRLF-terminated line.
///
/// Arguments are validated types (``SMTPAddress``) or come from validated configuration, so no argument can
/// carry CR or LF into the command stream.
///
/// ```swift
/// SMTPCommand.mailFrom(try SMTPAddress("a@example.test"), parameters: ["BODY=8BITMIME"]).line
/// // "MAIL FROM:<a@example.test> BODY=8BITMIME"
/// ```
package enum SMTPCommand: Sendable, Hashable {
    /// `EHLO <domain or address literal>`.
    case ehlo(String)
    /// `STARTTLS` (RFC 3207 §4).
    case startTLS
    /// `AUTH <mechanism> [initial-response]` (RFC 4954 §4); the response is base64.
    case authenticate(mechanism: String, initialResponse: String?)
    /// A base64 line answering a 334 challenge (RFC 4954 §4).
    case authenticationResponse(String)
    /// `MAIL FROM:<reverse-path> [parameters]`; `nil` is the null reverse-path `<>` (RFC 5321 §4.5.5).
    case mailFrom(SMTPAddress?, parameters: [String])
    /// `RCPT TO:<forward-path>`.
    case recipient(SMTPAddress)
    /// `DATA`.
    case data
    /// `QUIT`.
    case quit

    /// The command line without its CRLF.
    package var line: String {
        switch self {
        case .ehlo(let domain): "EHLO \(domain)"
        case .startTLS: "STARTTLS"
        case .authenticate(let mechanism, let response?): "AUTH \(mechanism) \(response)"
        case .authenticate(let mechanism, nil): "AUTH \(mechanism)"
        case .authenticationResponse(let response): response
        case .mailFrom(let address, let parameters):
            (["MAIL FROM:<\(address?.description ?? "")>"] + parameters).joined(separator: " ")
        case .recipient(let address): "RCPT TO:<\(address)>"
        case .data: "DATA"
        case .quit: "QUIT"
        }
    }

    /// The command line with its CRLF, as sent.
    package var bytes: [UInt8] {
        Array(line.utf8) + [0x0D, 0x0A]
    }

    /// A log-safe form: the verb only for commands that carry credentials.
    package var logDescription: String {
        switch self {
        case .authenticate(let mechanism, _): "AUTH \(mechanism) …"
        case .authenticationResponse: "(authentication response)"
        default: line
        }
    }
}

extension SMTPCommand {
    /// Checks that `name` can follow EHLO: a domain of LDH labels or an address literal such as `[192.0.2.1]`
    /// (RFC 5321 §4.1.1.1, §4.1.3).
    /// - Throws: ``SMTPClientError/Code/invalidConfiguration``.
    package static func validateEHLOArgument(_ name: String) throws(SMTPClientError) {
        let bytes = Array(name.utf8)
        let isLiteral =
            bytes.count > 2 && bytes.first == UInt8(ascii: "[") && bytes.last == UInt8(ascii: "]")
            && bytes.dropFirst().dropLast().allSatisfy {
                SMTPSyntax.isVisible($0) && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]")
            }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let isDomain =
            bytes.count <= 253
            && labels.allSatisfy { label in
                (1...63).contains(label.count) && label.first != UInt8(ascii: "-")
                    && label.last != UInt8(ascii: "-")
                    && label.allSatisfy { SMTPSyntax.isAlpha($0) || SMTPSyntax.isDigit($0) || $0 == UInt8(ascii: "-") }
            }
        guard isLiteral || isDomain else {
            throw SMTPClientError(.invalidConfiguration, "EHLO name is neither a domain nor an address literal")
        }
    }
}

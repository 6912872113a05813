import Foundation
import MIME

/// The reporting addresses a message was sent to, read from its header when the MTA did not name the envelope
/// recipient (`mtasts reports import` without `--recipient`).
///
/// `Delivered-To` and `X-Original-To` (what the delivering MTA recorded) come first, then `To` and `Cc`; only
/// addresses whose local part is a token and whose domain is the reports mail domain count.
///
/// ```swift
/// ReportRecipients.tokens(inHeaderOf: message, mailDomain: "reports.example.net")   // ["3f2a…"]
/// ```
package enum ReportRecipients {
    /// The distinct tokens, in header order; empty when none (or the message cannot be read).
    package static func tokens(inHeaderOf message: [UInt8], mailDomain: String?) -> [String] {
        guard let entity = try? MIMEParser.parse(message, limits: .reports) else { return [] }
        var tokens: [String] = []
        for name in ["Delivered-To", "X-Original-To", "To", "Cc"] {
            for value in entity.headers.values(name) {
                for address in value.split(separator: ",") {
                    guard let token = token(in: Substring(address), mailDomain: mailDomain), !tokens.contains(token)
                    else { continue }
                    tokens.append(token)
                }
            }
        }
        return tokens
    }

    /// The token of one address (`Name <token@domain>` or `token@domain`), or nil.
    private static func token(in address: Substring, mailDomain: String?) -> String? {
        var mailbox = address
        if let open = mailbox.lastIndex(of: "<"), let close = mailbox.lastIndex(of: ">"), open < close {
            mailbox = mailbox[mailbox.index(after: open)..<close]
        }
        let trimmed = mailbox.trimmingCharacters(in: .whitespaces)
        guard let at = trimmed.lastIndex(of: "@") else { return nil }
        let local = trimmed[..<at].lowercased()
        let domain = trimmed[trimmed.index(after: at)...].lowercased()
        if let mailDomain, domain != mailDomain.lowercased() { return nil }
        return ReportTokenDirectory.isWellFormed(local) ? local : nil
    }
}

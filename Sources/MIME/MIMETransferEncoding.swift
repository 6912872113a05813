/// A Content-Transfer-Encoding (RFC 2045 §6): how a body was made safe for transport.
///
/// Any name is accepted when parsing; one other than the five of RFC 2045 makes ``MIMEEntity/decodedBody()`` throw
/// ``MIMEError/Code/unsupportedEncoding``, and only then.
///
/// ```swift
/// MIMETransferEncoding(parsing: "Base64") == .base64   // true
/// ```
package struct MIMETransferEncoding: Sendable, Hashable, CustomStringConvertible {
    /// The mechanism's name, lower-cased, e.g. `quoted-printable`.
    package let name: String

    /// Creates an encoding from its name, lower-cased.
    package init(name: String) {
        self.name = MIMEText.lowercasedASCII(name)
    }

    /// Parses a Content-Transfer-Encoding field value: a token, with comments and whitespace around it ignored.
    /// An empty value means ``sevenBit`` (the default of RFC 2045 §6.1).
    package init(parsing value: String) {
        var scanner = MIMEHeaderValueScanner(value)
        scanner.skipWhitespaceAndComments()
        if scanner.isAtEnd {
            self = .sevenBit
        } else if let token = scanner.token() {
            self.init(name: token)
        } else {
            self.init(name: value)
        }
    }

    /// `7bit`, the default: short lines of US-ASCII, no decoding.
    package static let sevenBit = MIMETransferEncoding(name: "7bit")
    /// `8bit`: short lines of octets, no decoding.
    package static let eightBit = MIMETransferEncoding(name: "8bit")
    /// `binary`: any octets, no decoding.
    package static let binary = MIMETransferEncoding(name: "binary")
    /// `base64` (RFC 2045 §6.8).
    package static let base64 = MIMETransferEncoding(name: "base64")
    /// `quoted-printable` (RFC 2045 §6.7).
    package static let quotedPrintable = MIMETransferEncoding(name: "quoted-printable")

    /// Whether the body is the content as is (7bit, 8bit or binary).
    package var isIdentity: Bool { self == .sevenBit || self == .eightBit || self == .binary }

    /// The name.
    package var description: String { name }
}

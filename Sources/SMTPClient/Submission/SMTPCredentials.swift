import Crypto

/// A user name and password for SMTP AUTH (RFC 4954) with the PLAIN (RFC 4616) or LOGIN mechanism.
///
/// They are only ever sent over TLS. ``description`` shows the user name and never the password.
///
/// ```swift
/// let credentials = SMTPCredentials(userName: "alerts", password: "s3cret")
/// "\(credentials)"   // SMTPCredentials(alerts, password redacted)
/// ```
package struct SMTPCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The authentication identity.
    package let userName: String
    /// The password.
    package let password: String

    /// Creates credentials.
    package init(userName: String, password: String) {
        self.userName = userName
        self.password = password
    }

    /// The PLAIN initial response: base64 of `NUL user NUL password`, with an empty authorization identity
    /// (RFC 4616 §2: act as the authenticated user).
    var plainInitialResponse: String {
        Base64.encode([0] + Array(userName.utf8) + [0] + Array(password.utf8))
    }

    /// The LOGIN mechanism's answer to the `Username:` challenge.
    var loginUserNameResponse: String {
        Base64.encode(Array(userName.utf8))
    }

    /// The LOGIN mechanism's answer to the `Password:` challenge.
    var loginPasswordResponse: String {
        Base64.encode(Array(password.utf8))
    }

    /// `SMTPCredentials(<user>, password redacted)`; safe to log.
    package var description: String {
        "SMTPCredentials(\(userName), password redacted)"
    }

    /// The same as ``description``: the password never appears in logs or test output.
    package var debugDescription: String {
        description
    }
}

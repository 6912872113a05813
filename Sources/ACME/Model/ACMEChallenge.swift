/// A challenge object (RFC 8555 §7.1.5, §8).
package struct ACMEChallenge: Codable, Sendable, Equatable {
    /// The `http-01` challenge type (§8.3).
    package static let http01 = "http-01"

    /// The challenge type, e.g. `http-01`.
    package var type: String
    /// The URL to POST `{}` to when ready, and to poll.
    package var url: String
    /// pending → processing → valid or invalid.
    package var status: ACMEStatus
    /// The token for http-01 and dns-01: base64url, at least 128 bits of entropy (§8.3).
    package var token: String?
    /// When it was validated (RFC 3339).
    package var validated: String?
    /// Why validation failed.
    package var error: ACMEProblem?

    /// Creates a challenge.
    package init(
        type: String,
        url: String,
        status: ACMEStatus,
        token: String? = nil,
        validated: String? = nil,
        error: ACMEProblem? = nil
    ) {
        self.type = type
        self.url = url
        self.status = status
        self.token = token
        self.validated = validated
        self.error = error
    }
}

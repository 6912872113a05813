/// What must be served before an http-01 challenge is accepted: `key authorization` at
/// `http://<host>/.well-known/acme-challenge/<token>` (RFC 8555 §8.3).
package struct ACMEChallengePublication: Sendable, Equatable {
    /// The authorization this challenge belongs to.
    package var authorizationURL: String
    /// The challenge URL to notify once published.
    package var challengeURL: String
    /// The challenge token (path segment).
    package var token: String
    /// `token "." thumbprint(accountKey)` (§8.1), the exact response body.
    package var keyAuthorization: String
    /// The identifier being validated, e.g. `mta-sts.example.com`.
    package var host: String

    /// Creates a publication.
    package init(authorizationURL: String, challengeURL: String, token: String, keyAuthorization: String, host: String)
    {
        self.authorizationURL = authorizationURL
        self.challengeURL = challengeURL
        self.token = token
        self.keyAuthorization = keyAuthorization
        self.host = host
    }
}

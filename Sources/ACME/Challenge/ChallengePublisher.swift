/// Makes http-01 key authorizations reachable at `http://<host>/.well-known/acme-challenge/<token>` (RFC 8555
/// §8.3) before the client tells the CA to validate.
///
/// The worker's implementation writes the token to PostgreSQL (`acme_challenges` plus the change log) so every
/// edge process serves it; tests use an in-memory map. `publish` must return only once the value is served
/// (or durably queued to be served before any validation request can arrive).
///
/// ```swift
/// struct MemoryPublisher: ChallengePublisher {
///     let tokens: TokenTable
///     func publish(token: String, keyAuthorization: String, host: String) throws { tokens.set(host, token, keyAuthorization) }
///     func unpublish(token: String, host: String) throws { tokens.remove(host, token) }
/// }
/// ```
package protocol ChallengePublisher: Sendable {
    /// Serves `keyAuthorization` as the body for `token` on `host`; publishing the same pair twice is harmless.
    func publish(token: String, keyAuthorization: String, host: String) throws
    /// Stops serving `token` on `host` (after validation finished either way).
    func unpublish(token: String, host: String) throws
}

/// What an API token is for (`api_tokens.kind`).
package enum TokenKind: String, StoredVocabulary, Sendable, Hashable {
    /// A long-lived token for automation, created with `POST /v1/tokens`.
    case api
    /// A login session from `POST /v1/sessions` or sign-up.
    case session
}

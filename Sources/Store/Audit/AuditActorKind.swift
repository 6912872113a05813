/// Who acted (`audit_log.actor_kind`).
package enum AuditActorKind: String, StoredVocabulary, Sendable, Hashable, CaseIterable {
    /// A tenant signed in with a password (a session token); the detail is the session's id.
    case account
    /// An API token; the detail is the token's id, never its value.
    case token
    /// The background worker on the tenant's behalf; the detail is the worker's id.
    case worker
    /// The platform's operator (`mtasts admin`); the detail names the operator.
    case `operator`
}

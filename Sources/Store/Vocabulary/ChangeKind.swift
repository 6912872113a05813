/// What a change-log row (`changes.kind`) says changed for its host, so a follower reloads only that part.
package enum ChangeKind: String, StoredVocabulary, Sendable, Hashable {
    /// The domain's current policy (a new `policies` row).
    case policy
    /// The host's current certificate.
    case certificate
    /// An http-01 answer was published or withdrawn.
    case challenge
    /// The domain's status changed (verified, offboarding, deleted): everything about the host may change.
    case domain
    /// The domain's TLS-RPT addresses (`rua`) changed.
    case tlsrpt
}

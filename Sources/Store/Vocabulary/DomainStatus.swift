/// The lifecycle of a domain (the `domains.status` column).
///
/// Whether a domain is *served* (its policy host answered by the edge) is not a status of its own: it is the
/// `served_domains` view (verified, or offboarding until `serve_until`; RFC 8461 §8.3), the one definition
/// the edge, the worker and the tests share.
package enum DomainStatus: String, StoredVocabulary, Sendable, Hashable {
    case pendingVerification = "pending_verification"
    case verified
    case offboarding
    case deleted
}

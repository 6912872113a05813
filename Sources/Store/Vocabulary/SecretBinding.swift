/// Which additional authenticated data a stored secret was sealed with (`certificates.key_binding`,
/// `acme_accounts.key_binding`).
///
/// Rows written before migration 0006 were sealed with none; everything sealed since carries its row's
/// ``SecretOwner`` identity, so a ciphertext copied into another row fails to decrypt.
package enum SecretBinding: String, StoredVocabulary, Sendable, Hashable, Codable {
    /// Sealed without additional data (before 0006, or by a process of an older release).
    case unbound
    /// Sealed with ``SecretOwner/additionalData`` of its row.
    case row
}

package import Foundation

/// The row a stored secret belongs to.
///
/// Its ``additionalData`` is sealed into the secret's ciphertext (AES-GCM additional authenticated data), so a
/// ciphertext moved to another row, or to a row of another kind, fails authentication instead of decrypting.
package enum SecretOwner: Sendable, Hashable {
    /// The private key of the `certificates` row `id`, served for `host` (lower-case, as the row stores it).
    case certificateKey(id: UUID, host: String)
    /// The key of the platform's ACME account at `directoryURL` (`acme_accounts.directory_url`).
    case acmeAccountKey(directoryURL: String)
    /// The signing secret of the `webhooks` row `id`.
    case webhookSecret(id: UUID)

    /// `certificate:<id>:<host>`, `acme-account:<directory URL>` or `webhook:<id>`, ids in lower case as PostgreSQL
    /// prints them.
    package var additionalData: [UInt8] {
        switch self {
        case .certificateKey(let id, let host): Array("certificate:\(id.uuidString.lowercased()):\(host)".utf8)
        case .acmeAccountKey(let directoryURL): Array("acme-account:\(directoryURL)".utf8)
        case .webhookSecret(let id): Array("webhook:\(id.uuidString.lowercased())".utf8)
        }
    }

    /// What an operator recognises the row by: the host, the ACME directory, or the webhook's id (never its URL,
    /// whose path may carry the receiver's own credentials).
    package var label: String {
        switch self {
        case .certificateKey(_, let host): host
        case .acmeAccountKey(let directoryURL): directoryURL
        case .webhookSecret(let id): "webhook \(id.uuidString.lowercased())"
        }
    }
}

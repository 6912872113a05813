package import Foundation

/// The kinds of secret the platform stores, each sealed with the master key.
package enum SecretKind: String, Sendable, Hashable, CaseIterable {
    /// The private key of a host's current certificate: what the edges serve.
    case certificateKey = "certificate key"
    /// The private key of a certificate a renewal has since replaced. Nothing reads it again, so an unreadable
    /// one is harmless; readable ones are still re-sealed on rotation so no ciphertext outlives its master key.
    case retiredCertificateKey = "retired certificate key"
    /// The key of the platform's account at an ACME directory, which signs every order.
    case acmeAccountKey = "ACME account key"
    /// The secret a tenant's webhook deliveries are signed with (HMAC-SHA256), shown to the tenant once.
    case webhookSecret = "webhook secret"

    /// Whether a secret of this kind is used, so that one the master keys cannot read needs attention.
    package var isLive: Bool { self != .retiredCertificateKey }
}

/// One stored secret, located by its kind and row.
package struct StoredSecret: Sendable, Hashable {
    /// What the secret is.
    package var kind: SecretKind
    /// The row's primary key (`certificates.id`, `acme_accounts.id`, `webhooks.id`), the position for batched reads.
    package var rowID: UUID
    /// The ciphertext as stored.
    package var sealed: SealedSecret

    /// A stored secret.
    package init(kind: SecretKind, rowID: UUID, sealed: SealedSecret) {
        self.kind = kind
        self.rowID = rowID
        self.sealed = sealed
    }
}

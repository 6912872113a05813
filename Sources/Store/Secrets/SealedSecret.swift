package import Crypto

/// A secret as stored in its row: the ciphertext, the row it belongs to, and whether the ciphertext is bound to
/// that row.
///
/// Seal and open secrets only through this type, so the additional data always matches the row:
///
/// ```swift
/// let sealed = try SealedSecret.seal(Array(pem.utf8), for: .certificateKey(id: id, host: host), with: keyring)
/// let pem = try sealed.open(with: keyring)
/// ```
package struct SealedSecret: Sendable, Hashable {
    /// The ciphertext with the id of the master key that sealed it.
    package var value: EncryptedValue
    /// The row the secret belongs to.
    package var owner: SecretOwner
    /// Whether ``owner`` was sealed into the ciphertext as additional data.
    package var binding: SecretBinding

    /// Wraps a stored ciphertext.
    package init(value: EncryptedValue, owner: SecretOwner, binding: SecretBinding) {
        self.value = value
        self.owner = owner
        self.binding = binding
    }

    /// Encrypts `plaintext` with the keyring's current key, bound to `owner`.
    /// - Throws: `CryptoError` when encryption fails.
    package static func seal(
        _ plaintext: [UInt8],
        for owner: SecretOwner,
        with keyring: Keyring
    ) throws -> SealedSecret {
        SealedSecret(
            value: try keyring.encrypt(plaintext, additionalData: owner.additionalData),
            owner: owner,
            binding: .row
        )
    }

    /// The additional data the ciphertext was sealed with.
    private var additionalData: [UInt8] {
        switch binding {
        case .unbound: []
        case .row: owner.additionalData
        }
    }

    /// Decrypts with the key the value names.
    /// - Throws: `CryptoError` with code `unknownKeyID` when the keyring lacks that key, `authenticationFailed`
    ///   when the ciphertext was altered, belongs to another row, or was sealed by a different key with the same id.
    package func open(with keyring: Keyring) throws -> [UInt8] {
        try keyring.decrypt(value, additionalData: additionalData)
    }

    /// The same secret sealed again with the keyring's current key and bound to its row.
    /// - Throws: what ``open(with:)`` throws.
    package func resealed(with keyring: Keyring) throws -> SealedSecret {
        try Self.seal(try open(with: keyring), for: owner, with: keyring)
    }

    /// What `keyring` can do with this secret (it is decrypted to find out, and the plaintext dropped).
    package func condition(under keyring: Keyring) -> SecretCondition {
        do {
            _ = try open(with: keyring)
        } catch let error as CryptoError where error.code == .unknownKeyID {
            return .unknownKey
        } catch {
            return .authenticationFailed
        }
        if value.keyID != keyring.current.keyID { return .previousKey }
        return binding == .row ? .current : .unbound
    }
}

/// What a keyring can do with a ``SealedSecret``.
package enum SecretCondition: String, Sendable, Hashable, CaseIterable {
    /// Readable with the current key and bound to its row: nothing to do.
    case current
    /// Readable with the current key but sealed before secrets were bound to rows: `mtasts admin rotate-key`
    /// binds it.
    case unbound
    /// Readable only with a previous key: `mtasts admin rotate-key` re-seals it with the current one.
    case previousKey = "previous_key"
    /// Sealed with a master key the keyring does not hold (lost, or not configured in this process).
    case unknownKey = "unknown_key_id"
    /// The key is held but the ciphertext does not authenticate: altered, copied from another row, or sealed by
    /// a different key that happens to have the same id.
    case authenticationFailed = "authentication_failed"

    /// Whether the keyring can decrypt the secret.
    package var isReadable: Bool {
        switch self {
        case .current, .unbound, .previousKey: true
        case .unknownKey, .authenticationFailed: false
        }
    }
}

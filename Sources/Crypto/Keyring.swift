/// The current ``MasterKey`` plus older ones still needed to decrypt, so keys can be rotated.
///
/// New values are always encrypted with ``current``; ``decrypt(_:additionalData:)`` picks the key by the value's
/// ``EncryptedValue/keyID``. After rotation, re-encrypt values for which ``needsReencryption(_:)`` is true, then
/// drop the old key.
package struct Keyring: Sendable {
    /// The key used for new encryptions.
    package let current: MasterKey
    private let keys: [String: MasterKey]

    /// Creates a keyring.
    ///
    /// - Throws: ``CryptoError/Code/invalidKey`` when two different keys share a key ID.
    package init(current: MasterKey, previous: [MasterKey] = []) throws {
        var keys: [String: MasterKey] = [current.keyID: current]
        for key in previous {
            if let existing = keys[key.keyID] {
                guard ConstantTime.equals(existing.bytes, key.bytes) else {
                    throw CryptoError(.invalidKey, "two master keys share key ID \(key.keyID)")
                }
                continue
            }
            keys[key.keyID] = key
        }
        self.current = current
        self.keys = keys
    }

    /// IDs of all keys, sorted.
    package var keyIDs: [String] { keys.keys.sorted() }

    /// The key with `keyID`, if present.
    package func key(withID keyID: String) -> MasterKey? {
        keys[keyID]
    }

    /// Encrypts with the current key.
    package func encrypt(_ plaintext: [UInt8], additionalData: [UInt8] = []) throws -> EncryptedValue {
        try current.encrypt(plaintext, additionalData: additionalData)
    }

    /// Decrypts with the key named by `value.keyID`.
    ///
    /// - Throws: ``CryptoError/Code/unknownKeyID`` when that key is not in the ring,
    ///   ``CryptoError/Code/authenticationFailed`` when the value was tampered with.
    package func decrypt(_ value: EncryptedValue, additionalData: [UInt8] = []) throws -> [UInt8] {
        guard let key = keys[value.keyID] else {
            throw CryptoError(.unknownKeyID, "no master key with ID \(value.keyID)")
        }
        return try key.decrypt(value, additionalData: additionalData)
    }

    /// Whether `value` was encrypted with a key other than ``current``.
    package func needsReencryption(_ value: EncryptedValue) -> Bool {
        value.keyID != current.keyID
    }
}

/// A 256-bit key that encrypts secrets at rest (AES-256-GCM), identified by a short public ``keyID``.
///
/// `description` and `debugDescription` show only the key ID, so a key never ends up in logs by accident.
///
/// ```swift
/// let key = try MasterKey.load(fromFile: "/etc/mtasts/master.key")
/// let stored = try key.encrypt(Array(secret.utf8)).encoded   // "v1.1a2b3c4d.<nonce>.<ciphertext>"
/// ```
package struct MasterKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Key length in bytes.
    package static let byteCount = AEAD.keyByteCount

    /// First 8 hex characters of SHA-256 of the key: identifies the key in stored values without revealing it.
    package let keyID: String
    /// The raw key; internal so that it cannot leak through the package API.
    let bytes: [UInt8]

    /// Wraps existing key bytes.
    ///
    /// - Throws: ``CryptoError/Code/invalidKey`` unless `bytes` is exactly 32 bytes.
    package init(bytes: [UInt8]) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptoError(.invalidKey, "master key must be exactly 32 bytes")
        }
        self.bytes = bytes
        self.keyID = String(Hex.encode(Digest.sha256(bytes)).prefix(8))
    }

    /// Creates a new random key in memory (see ``generate(toFile:)`` to create a key file).
    package static func generate() throws -> MasterKey {
        try MasterKey(bytes: try SecureRandom.bytes(count: byteCount))
    }

    /// Encrypts `plaintext`; `additionalData` (e.g. a row ID) must be passed again to decrypt.
    package func encrypt(_ plaintext: [UInt8], additionalData: [UInt8] = []) throws -> EncryptedValue {
        let box = try AEAD.seal(plaintext: plaintext, key: bytes, additionalData: additionalData)
        return EncryptedValue(keyID: keyID, nonce: box.nonce, ciphertext: box.ciphertext + box.tag)
    }

    /// Decrypts a value produced by ``encrypt(_:additionalData:)`` with this key.
    ///
    /// - Throws: ``CryptoError/Code/unknownKeyID`` when `value` names another key,
    ///   ``CryptoError/Code/authenticationFailed`` when it was tampered with or the additional data differs.
    package func decrypt(_ value: EncryptedValue, additionalData: [UInt8] = []) throws -> [UInt8] {
        guard value.keyID == keyID else {
            throw CryptoError(.unknownKeyID, "value was encrypted with key \(value.keyID), not \(keyID)")
        }
        let box = try AEAD.SealedBox(combined: value.nonce + value.ciphertext)
        return try AEAD.open(box, key: bytes, additionalData: additionalData)
    }

    /// `MasterKey(keyID: …)`; never the key bytes.
    package var description: String { "MasterKey(keyID: \(keyID))" }

    /// Same as ``description``.
    package var debugDescription: String { description }
}

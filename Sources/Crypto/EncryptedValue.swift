/// A secret encrypted by a ``MasterKey``: the key's ID, the GCM nonce and the ciphertext with its 16-byte tag.
///
/// ``encoded`` gives a compact ASCII form for a text column: `v1.<keyID>.<b64url nonce>.<b64url ciphertext‖tag>`.
package struct EncryptedValue: Sendable, Hashable, CustomStringConvertible {
    private static let version = "v1"

    /// ID of the key that encrypted the value.
    package let keyID: String
    /// The 12-byte nonce.
    package let nonce: [UInt8]
    /// Ciphertext followed by the 16-byte authentication tag.
    package let ciphertext: [UInt8]

    /// Creates a value from its parts.
    package init(keyID: String, nonce: [UInt8], ciphertext: [UInt8]) {
        self.keyID = keyID
        self.nonce = nonce
        self.ciphertext = ciphertext
    }

    /// Parses the ``encoded`` form; `nil` when malformed.
    package init?(encoded: String) {
        let parts = encoded.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.version, !parts[1].isEmpty, parts[1].utf8.count <= 64,
            parts[1].utf8.allSatisfy(Self.isLowercaseHexDigit),
            let nonce = Base64URL.decode(parts[2]), nonce.count == AEAD.nonceByteCount,
            let ciphertext = Base64URL.decode(parts[3]), ciphertext.count >= AEAD.tagByteCount
        else {
            return nil
        }
        self.init(keyID: String(parts[1]), nonce: nonce, ciphertext: ciphertext)
    }

    private static func isLowercaseHexDigit(_ character: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(character)
    }

    /// `v1.<keyID>.<nonce>.<ciphertext‖tag>`, base64url without padding.
    package var encoded: String {
        "\(Self.version).\(keyID).\(Base64URL.encode(nonce)).\(Base64URL.encode(ciphertext))"
    }

    /// Shows the key ID and sizes only.
    package var description: String {
        "EncryptedValue(keyID: \(keyID), \(ciphertext.count) bytes)"
    }
}

internal import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) with random 96-bit nonces.
///
/// ```swift
/// let box = try AEAD.seal(plaintext: secret, key: key, additionalData: Array("row 42".utf8))
/// let plain = try AEAD.open(box, key: key, additionalData: Array("row 42".utf8))
/// ```
/// Random nonces are safe for up to about 2^32 messages per key (SP 800-38D §8.3); rotate keys well before that.
package enum AEAD {
    /// Key length in bytes.
    package static let keyByteCount = 32
    /// Nonce length in bytes.
    package static let nonceByteCount = 12
    /// Authentication tag length in bytes.
    package static let tagByteCount = 16

    /// The output of ``seal(plaintext:key:additionalData:)``: nonce, ciphertext and tag.
    package struct SealedBox: Sendable, Hashable {
        /// The 12-byte nonce.
        package let nonce: [UInt8]
        /// The ciphertext, as long as the plaintext.
        package let ciphertext: [UInt8]
        /// The 16-byte authentication tag.
        package let tag: [UInt8]

        /// Creates a box from its parts, checking the nonce and tag lengths.
        ///
        /// - Throws: ``CryptoError/Code/invalidInput``.
        package init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) throws {
            guard nonce.count == AEAD.nonceByteCount, tag.count == AEAD.tagByteCount else {
                throw CryptoError(.invalidInput, "AES-GCM nonce must be 12 bytes and tag 16 bytes")
            }
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }

        /// Splits `nonce ‖ ciphertext ‖ tag`.
        ///
        /// - Throws: ``CryptoError/Code/invalidInput`` when shorter than nonce plus tag.
        package init(combined: [UInt8]) throws {
            guard combined.count >= AEAD.nonceByteCount + AEAD.tagByteCount else {
                throw CryptoError(.invalidInput, "sealed box too short")
            }
            try self.init(
                nonce: Array(combined.prefix(AEAD.nonceByteCount)),
                ciphertext: Array(combined[AEAD.nonceByteCount..<(combined.count - AEAD.tagByteCount)]),
                tag: Array(combined.suffix(AEAD.tagByteCount))
            )
        }

        /// `nonce ‖ ciphertext ‖ tag`.
        package var combined: [UInt8] { nonce + ciphertext + tag }
    }

    /// Encrypts and authenticates `plaintext` (and authenticates `additionalData`) under a fresh random nonce.
    ///
    /// - Throws: ``CryptoError/Code/invalidKey`` for a key that is not 32 bytes, or an OpenSSL failure.
    package static func seal(plaintext: [UInt8], key: [UInt8], additionalData: [UInt8] = []) throws -> SealedBox {
        try seal(
            plaintext: plaintext,
            key: key,
            nonce: try SecureRandom.bytes(count: nonceByteCount),
            additionalData: additionalData
        )
    }

    /// Encrypts with a caller-chosen nonce. Internal: only known-answer tests may pick nonces.
    static func seal(plaintext: [UInt8], key: [UInt8], nonce: [UInt8], additionalData: [UInt8]) throws -> SealedBox {
        try checkLengths(key: key, nonce: nonce, plaintext: plaintext, additionalData: additionalData)
        let context = try CipherContext()
        OpenSSLErrorQueue.clear()
        guard EVP_EncryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, key, nonce) == 1 else {
            throw CryptoError.openSSL("EVP_EncryptInit_ex failed")
        }
        var length: Int32 = 0
        if !additionalData.isEmpty {
            guard EVP_EncryptUpdate(context.pointer, nil, &length, additionalData, Int32(additionalData.count)) == 1
            else {
                throw CryptoError.openSSL("AES-GCM additional data failed")
            }
        }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var produced = 0
        if !plaintext.isEmpty {
            guard EVP_EncryptUpdate(context.pointer, &ciphertext, &length, plaintext, Int32(plaintext.count)) == 1
            else {
                throw CryptoError.openSSL("AES-GCM encryption failed")
            }
            produced = Int(length)
        }
        let finalOK = ciphertext.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context.pointer, buffer.baseAddress.map { $0 + produced }, &length)
        }
        guard finalOK == 1 else {
            throw CryptoError.openSSL("AES-GCM finalisation failed")
        }
        produced += Int(length)
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw CryptoError.openSSL("AES-GCM tag extraction failed")
        }
        return try SealedBox(nonce: nonce, ciphertext: Array(ciphertext.prefix(produced)), tag: tag)
    }

    /// Verifies and decrypts `box`.
    ///
    /// - Throws: ``CryptoError/Code/authenticationFailed`` when the ciphertext, tag, nonce, key or additional
    ///   data do not match; ``CryptoError/Code/invalidKey`` for a key that is not 32 bytes.
    package static func open(_ box: SealedBox, key: [UInt8], additionalData: [UInt8] = []) throws -> [UInt8] {
        try checkLengths(key: key, nonce: box.nonce, plaintext: box.ciphertext, additionalData: additionalData)
        let context = try CipherContext()
        OpenSSLErrorQueue.clear()
        guard EVP_DecryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, key, box.nonce) == 1 else {
            throw CryptoError.openSSL("EVP_DecryptInit_ex failed")
        }
        var length: Int32 = 0
        if !additionalData.isEmpty {
            guard EVP_DecryptUpdate(context.pointer, nil, &length, additionalData, Int32(additionalData.count)) == 1
            else {
                throw CryptoError.openSSL("AES-GCM additional data failed")
            }
        }
        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count + 16)
        var produced = 0
        if !box.ciphertext.isEmpty {
            guard
                EVP_DecryptUpdate(context.pointer, &plaintext, &length, box.ciphertext, Int32(box.ciphertext.count))
                    == 1
            else {
                throw CryptoError.openSSL("AES-GCM decryption failed")
            }
            produced = Int(length)
        }
        var tag = box.tag
        guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw CryptoError.openSSL("AES-GCM tag setup failed")
        }
        let finalOK = plaintext.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context.pointer, buffer.baseAddress.map { $0 + produced }, &length)
        }
        guard finalOK == 1 else {
            // A tag mismatch leaves nothing useful in the queue; drop whatever is there.
            OpenSSLErrorQueue.clear()
            throw CryptoError(.authenticationFailed, "AES-GCM authentication failed")
        }
        produced += Int(length)
        return Array(plaintext.prefix(produced))
    }

    private static func checkLengths(
        key: [UInt8],
        nonce: [UInt8],
        plaintext: [UInt8],
        additionalData: [UInt8]
    ) throws {
        guard key.count == keyByteCount else {
            throw CryptoError(.invalidKey, "AES-256-GCM key must be 32 bytes")
        }
        guard nonce.count == nonceByteCount else {
            throw CryptoError(.invalidInput, "AES-GCM nonce must be 12 bytes")
        }
        guard plaintext.count < Int(Int32.max) - 16, additionalData.count < Int(Int32.max) else {
            throw CryptoError(.invalidInput, "AES-GCM input too large")
        }
    }
}

/// Owns an `EVP_CIPHER_CTX`.
private final class CipherContext {
    let pointer: OpaquePointer

    init() throws {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw CryptoError.openSSL("EVP_CIPHER_CTX_new failed")
        }
        pointer = context
    }

    deinit {
        EVP_CIPHER_CTX_free(pointer)
    }
}

internal import COpenSSL

/// An ECDSA P-256 private key for ES256 signatures (ACME account keys) and certificate keys.
///
/// Owns an `EVP_PKEY` (freed in `deinit`). Sendable because it is immutable after `init`: OpenSSL allows
/// concurrent read-only use of one `EVP_PKEY`, and every signature uses its own `EVP_MD_CTX`.
///
/// ```swift
/// let key = try P256PrivateKey.generate()
/// let signature = try key.signatureRaw(for: Array(signingInput.utf8))   // 64 bytes r ‖ s
/// let thumbprint = key.publicKey.jwkThumbprint
/// ```
package final class P256PrivateKey: @unchecked Sendable {
    /// The owned `EVP_PKEY *`, freed in `deinit`.
    let pointer: OpaquePointer

    /// The public half (shares the underlying `EVP_PKEY`).
    package let publicKey: P256PublicKey

    /// Takes ownership of `pointer`, which must be a P-256 key with a private part.
    private init(taking pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            self.publicKey = try P256PublicKey(retaining: pointer)
        } catch {
            EVP_PKEY_free(pointer)
            throw error
        }
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Generates a new random key.
    package static func generate() throws -> P256PrivateKey {
        OpenSSLErrorQueue.clear()
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw CryptoError.openSSL("EVP_PKEY_CTX_new_from_name failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
            EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
            EVP_PKEY_generate(context, &key) == 1,
            let key
        else {
            throw CryptoError.openSSL("P-256 key generation failed")
        }
        return try P256PrivateKey(taking: key)
    }

    /// Parses a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`) or SEC 1 (`BEGIN EC PRIVATE KEY`), unencrypted.
    ///
    /// - Throws: ``CryptoError/Code/decodingFailed`` for malformed PEM, ``CryptoError/Code/invalidKey`` for a key
    ///   that is not P-256.
    package convenience init(pem: String) throws {
        let bio = try MemoryBIO(bytes: Array(pem.utf8))
        OpenSSLErrorQueue.clear()
        guard let key = PEM_read_bio_PrivateKey(bio.pointer, nil, nil, nil) else {
            throw CryptoError.openSSL(.decodingFailed, "cannot parse PEM private key")
        }
        try self.init(checking: key)
    }

    /// Parses a DER private key (PKCS#8 or SEC 1).
    package convenience init(der: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        let key = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let key else {
            throw CryptoError.openSSL(.decodingFailed, "cannot parse DER private key")
        }
        try self.init(checking: key)
    }

    private convenience init(checking key: OpaquePointer) throws {
        do {
            try P256PublicKey.checkCurve(key)
        } catch {
            EVP_PKEY_free(key)
            throw error
        }
        try self.init(taking: key)
    }

    /// PKCS#8 DER (`PrivateKeyInfo`), unencrypted.
    package var derRepresentation: [UInt8] {
        get throws {
            let bio = try MemoryBIO()
            OpenSSLErrorQueue.clear()
            guard i2d_PKCS8PrivateKey_bio(bio.pointer, pointer, nil, nil, 0, nil, nil) == 1 else {
                throw CryptoError.openSSL("cannot encode PKCS#8 private key")
            }
            return bio.readAll()
        }
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), unencrypted.
    package var pemRepresentation: String {
        get throws {
            PEMDocument.encode(label: "PRIVATE KEY", der: try derRepresentation)
        }
    }

    /// Signs `data` with ES256 (ECDSA P-256 with SHA-256) and returns the 64-byte raw `r ‖ s` signature
    /// (RFC 7518 §3.4), as a JWS needs.
    package func signatureRaw(for data: [UInt8]) throws -> [UInt8] {
        try ECDSASignature.raw(fromDER: try signatureDER(for: data))
    }

    /// Signs `data` with ECDSA P-256 / SHA-256 and returns the DER `ECDSA-Sig-Value`.
    package func signatureDER(for data: [UInt8]) throws -> [UInt8] {
        OpenSSLErrorQueue.clear()
        guard let context = EVP_MD_CTX_new() else {
            throw CryptoError.openSSL("EVP_MD_CTX_new failed")
        }
        defer { EVP_MD_CTX_free(context) }
        var length = 0
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, pointer) == 1,
            EVP_DigestSign(context, nil, &length, data, data.count) == 1
        else {
            throw CryptoError.openSSL("ECDSA signing setup failed")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, data, data.count) == 1 else {
            throw CryptoError.openSSL("ECDSA signing failed")
        }
        return Array(signature.prefix(length))
    }

    /// Verifies a raw ES256 signature with the public half (see ``P256PublicKey/isValidSignature(_:for:)``).
    package func verifyRaw(signature: [UInt8], data: [UInt8]) -> Bool {
        publicKey.isValidSignature(signature, for: data)
    }

    /// Calls `body` with the borrowed `EVP_PKEY *` (for the TLS module). Do not free it; up-ref to keep it.
    package func withUnsafeEVPPKEYPointer<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result {
        try body(pointer)
    }
}

// MARK: - JWK

extension P256PrivateKey {
    /// The public JWK in RFC 7638 canonical form (see ``P256PublicKey/jwk``).
    package var jwk: String { publicKey.jwk }

    /// The RFC 7638 thumbprint of the public key (see ``P256PublicKey/jwkThumbprint``).
    package var jwkThumbprint: String { publicKey.jwkThumbprint }
}

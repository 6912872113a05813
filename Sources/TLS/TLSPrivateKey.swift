internal import COpenSSL

/// A private key (owns an `EVP_PKEY*`): ECDSA P-256 or RSA.
///
/// `@unchecked Sendable`: the key is never mutated after parsing; `EVP_PKEY` reference counting is thread-safe.
package final class TLSPrivateKey: @unchecked Sendable {
    let key: OpaquePointer

    private init(taking key: OpaquePointer) {
        self.key = key
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Parses a PEM private key (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"; unencrypted).
    /// - Throws: ``TLSError/invalidPrivateKey``.
    package init(pem: String) throws {
        ERR_clear_error()
        let bytes = Array(pem.utf8)
        let parsed = bytes.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let parsed else {
            throw TLSError.invalidPrivateKey.draining(message: "PEM_read_bio_PrivateKey")
        }
        self.key = parsed
    }
}

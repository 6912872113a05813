internal import COpenSSL

/// An ECDSA P-256 public key: JWK form, RFC 7638 thumbprint and ES256 verification.
///
/// Owns an `EVP_PKEY` (freed in `deinit`). Sendable because it is immutable after `init`: OpenSSL allows
/// concurrent read-only use of one `EVP_PKEY` (each verification uses its own `EVP_MD_CTX`).
package final class P256PublicKey: @unchecked Sendable {
    /// The owned `EVP_PKEY *`, freed in `deinit`.
    let pointer: OpaquePointer

    /// The affine x coordinate, 32 bytes big-endian (left-padded with zeros).
    package let x: [UInt8]
    /// The affine y coordinate, 32 bytes big-endian (left-padded with zeros).
    package let y: [UInt8]

    /// Takes ownership of `pointer`, which must be an EC key on P-256.
    init(taking pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            try Self.checkCurve(pointer)
            (x, y) = try Self.coordinates(of: pointer)
        } catch {
            EVP_PKEY_free(pointer)
            throw error
        }
    }

    /// Shares `pointer` with another owner (reference count incremented).
    convenience init(retaining pointer: OpaquePointer) throws {
        guard EVP_PKEY_up_ref(pointer) == 1 else {
            throw CryptoError.openSSL("EVP_PKEY_up_ref failed")
        }
        try self.init(taking: pointer)
    }

    /// Creates a key from its affine coordinates (e.g. a JWK's decoded `x` and `y`).
    ///
    /// - Throws: ``CryptoError/Code/invalidKey`` when a coordinate is not 32 bytes or the point is not on P-256.
    package convenience init(x: [UInt8], y: [UInt8]) throws {
        guard x.count == ECDSASignature.coordinateByteCount, y.count == ECDSASignature.coordinateByteCount else {
            throw CryptoError(.invalidKey, "P-256 coordinates must be 32 bytes each")
        }
        // SubjectPublicKeyInfo = fixed header (id-ecPublicKey, prime256v1, BIT STRING of 66 bytes) ‖ 04 ‖ x ‖ y.
        // Parsing DER avoids OSSL_PARAM_BLD, which keeps borrowed pointers that Swift cannot keep alive.
        let der = Self.subjectPublicKeyInfoPrefix + [0x04] + x + y
        OpenSSLErrorQueue.clear()
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let key = parsed else {
            throw CryptoError.openSSL(.invalidKey, "point is not a valid P-256 public key")
        }
        try self.init(taking: key)
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// DER of `SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (66 bytes) }` up to the point.
    private static let subjectPublicKeyInfoPrefix: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
        0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ]

    /// The public JWK with only the required members in lexicographic order and no whitespace (RFC 7638 §3.2):
    /// `{"crv":"P-256","kty":"EC","x":"…","y":"…"}`. Also valid as the `jwk` header of an ACME JWS.
    package var jwk: String {
        #"{"crv":"P-256","kty":"EC","x":""# + Base64URL.encode(x) + #"","y":""# + Base64URL.encode(y) + #""}"#
    }

    /// RFC 7638 JWK thumbprint: base64url(SHA-256(``jwk``)), as used in ACME key authorizations (RFC 8555 §8.1).
    package var jwkThumbprint: String {
        Base64URL.encode(Digest.sha256(jwk))
    }

    /// DER `SubjectPublicKeyInfo`.
    package var derRepresentation: [UInt8] {
        get throws {
            OpenSSLErrorQueue.clear()
            return try DEREncoding.encode("SubjectPublicKeyInfo") { i2d_PUBKEY(pointer, $0) }
        }
    }

    /// PEM `SubjectPublicKeyInfo` (`-----BEGIN PUBLIC KEY-----`).
    package var pemRepresentation: String {
        get throws {
            PEMDocument.encode(label: "PUBLIC KEY", der: try derRepresentation)
        }
    }

    /// Returns whether `signature` (raw `r ‖ s`, 64 bytes) is a valid ES256 signature of `data`.
    ///
    /// Malformed signatures return `false`.
    package func isValidSignature(_ signature: [UInt8], for data: [UInt8]) -> Bool {
        guard let der = try? ECDSASignature.der(fromRaw: signature) else {
            return false
        }
        OpenSSLErrorQueue.clear()
        guard let context = EVP_MD_CTX_new() else {
            return false
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, pointer) == 1 else {
            OpenSSLErrorQueue.clear()
            return false
        }
        let result = EVP_DigestVerify(context, der, der.count, data, data.count)
        OpenSSLErrorQueue.clear()
        return result == 1
    }

    /// Calls `body` with the borrowed `EVP_PKEY *` (for the TLS module). Do not free it; up-ref to keep it.
    package func withUnsafeEVPPKEYPointer<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result {
        try body(pointer)
    }

    // MARK: - Inspection

    /// Throws unless `key` is an EC key on P-256 (OpenSSL calls it prime256v1).
    static func checkCurve(_ key: OpaquePointer) throws {
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_EC else {
            throw CryptoError(.invalidKey, "key is not an EC key")
        }
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, &name, name.count, &length) == 1
        else {
            throw CryptoError.openSSL(.invalidKey, "EC key has no named group")
        }
        let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard OBJ_sn2nid(group) == NID_X9_62_prime256v1 || EC_curve_nist2nid(group) == NID_X9_62_prime256v1 else {
            throw CryptoError(.invalidKey, "EC key is on \(group), not P-256")
        }
    }

    /// Reads the affine coordinates, each left-padded to 32 bytes.
    static func coordinates(of key: OpaquePointer) throws -> ([UInt8], [UInt8]) {
        func coordinate(_ name: String) throws -> [UInt8] {
            var number: OpaquePointer?
            guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else {
                throw CryptoError.openSSL(.invalidKey, "EC key has no public point")
            }
            defer { BN_free(number) }
            var output = [UInt8](repeating: 0, count: ECDSASignature.coordinateByteCount)
            guard BN_bn2binpad(number, &output, Int32(output.count)) == Int32(output.count) else {
                throw CryptoError.openSSL(.invalidKey, "EC coordinate longer than 32 bytes")
            }
            return output
        }
        return (try coordinate(OSSL_PKEY_PARAM_EC_PUB_X), try coordinate(OSSL_PKEY_PARAM_EC_PUB_Y))
    }
}

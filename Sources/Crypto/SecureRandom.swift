internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (`RAND_bytes`).
package enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// - Throws: ``CryptoError/Code/invalidInput`` for a negative count,
    ///   ``CryptoError/Code/randomGenerationFailed`` when the DRBG is not seeded or fails.
    package static func bytes(count: Int) throws -> [UInt8] {
        guard count >= 0, count <= Int(Int32.max) else {
            throw CryptoError(.invalidInput, "random byte count out of range")
        }
        guard count > 0 else {
            return []
        }
        OpenSSLErrorQueue.clear()
        var output = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&output, Int32(count)) == 1 else {
            throw CryptoError.openSSL(.randomGenerationFailed, "RAND_bytes failed")
        }
        return output
    }

    /// Returns `prefix` followed by `byteCount` random bytes in base64url, e.g. `mts_3q2-…` for API tokens.
    ///
    /// The default 32 bytes give 256 bits of entropy.
    package static func token(prefix: String = "", byteCount: Int = 32) throws -> String {
        prefix + Base64URL.encode(try bytes(count: byteCount))
    }
}

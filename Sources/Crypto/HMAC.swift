internal import COpenSSL

/// Keyed-hash message authentication codes (RFC 2104).
package enum HMAC {
    /// Returns HMAC-SHA-256 of `data` under `key` (32 bytes).
    ///
    /// - Throws: ``CryptoError/Code/openSSLFailure`` if OpenSSL cannot compute the MAC (allocation failure).
    package static func sha256(key: [UInt8], data: [UInt8]) throws -> [UInt8] {
        guard key.count <= Int(Int32.max) else {
            throw CryptoError(.invalidInput, "HMAC key too long")
        }
        OpenSSLErrorQueue.clear()
        var mac = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBuffer in
            data.withUnsafeBytes { dataBuffer in
                mac.withUnsafeMutableBufferPointer { output in
                    COpenSSL.HMAC(
                        EVP_sha256(),
                        keyBuffer.baseAddress,
                        Int32(keyBuffer.count),
                        dataBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        dataBuffer.count,
                        output.baseAddress,
                        &length
                    )
                }
            }
        }
        guard result != nil, length == UInt32(Digest.sha256ByteCount) else {
            throw CryptoError.openSSL("HMAC-SHA256 failed")
        }
        return Array(mac.prefix(Int(length)))
    }

    /// Checks `code` against HMAC-SHA-256 of `data` under `key` in constant time.
    package static func isValidSHA256(_ code: [UInt8], key: [UInt8], data: [UInt8]) throws -> Bool {
        ConstantTime.equals(try sha256(key: key, data: data), code)
    }
}

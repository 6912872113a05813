internal import COpenSSL

/// The scrypt key-derivation function (RFC 7914) through OpenSSL's `EVP_PBE_scrypt`.
package enum Scrypt {
    /// Memory that `derive` needs for the given cost parameters, in bytes: `128·r·(N + p)` plus OpenSSL's
    /// bookkeeping (see `EVP_PBE_scrypt`: `Blen = 128·r·p`, `Vlen = 128·r·(N + 2)`).
    package static func requiredMemory(n: UInt64, r: UInt64, p: UInt64) -> UInt64? {
        let (rowBytes, overflow1) = UInt64(128).multipliedReportingOverflow(by: r)
        let (vectorBytes, overflow2) = rowBytes.multipliedReportingOverflow(by: n + 2)
        let (blockBytes, overflow3) = rowBytes.multipliedReportingOverflow(by: p)
        let (total, overflow4) = vectorBytes.addingReportingOverflow(blockBytes)
        guard !(overflow1 || overflow2 || overflow3 || overflow4) else {
            return nil
        }
        return total
    }

    /// Derives `length` bytes from `password` and `salt` with cost `n` (a power of two > 1), block size `r` and
    /// parallelism `p`.
    ///
    /// - Parameter maximumMemory: refuse parameters needing more than this many bytes (default 1 GiB).
    /// - Throws: ``CryptoError/Code/invalidInput`` for invalid or too expensive parameters,
    ///   ``CryptoError/Code/openSSLFailure`` if OpenSSL fails.
    package static func derive(
        password: [UInt8],
        salt: [UInt8],
        n: UInt64,
        r: UInt64,
        p: UInt64,
        length: Int,
        maximumMemory: UInt64 = 1 << 30
    ) throws -> [UInt8] {
        guard n > 1, n & (n - 1) == 0, r >= 1, p >= 1, length >= 1, length <= 1024 else {
            throw CryptoError(.invalidInput, "invalid scrypt parameters")
        }
        guard let memory = requiredMemory(n: n, r: r, p: p), memory <= maximumMemory else {
            throw CryptoError(.invalidInput, "scrypt parameters need more than \(maximumMemory) bytes")
        }
        OpenSSLErrorQueue.clear()
        var key = [UInt8](repeating: 0, count: length)
        let result = password.withUnsafeBytes { passwordBuffer in
            salt.withUnsafeBytes { saltBuffer in
                key.withUnsafeMutableBufferPointer { output in
                    EVP_PBE_scrypt(
                        passwordBuffer.baseAddress?.assumingMemoryBound(to: CChar.self),
                        passwordBuffer.count,
                        saltBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        saltBuffer.count,
                        n,
                        r,
                        p,
                        // Leave 1 MiB of headroom over the exact requirement computed above.
                        memory + (1 << 20),
                        output.baseAddress,
                        output.count
                    )
                }
            }
        }
        guard result == 1 else {
            throw CryptoError.openSSL("EVP_PBE_scrypt failed")
        }
        return key
    }
}

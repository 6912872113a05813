internal import COpenSSL

/// Comparisons whose running time does not depend on where secret inputs differ.
package enum ConstantTime {
    /// Returns whether `a` and `b` hold the same bytes, using `CRYPTO_memcmp`.
    ///
    /// Equal-length inputs are always compared in full. Different lengths return `false`; the length itself is not
    /// treated as secret, but the content is still not inspected byte by byte with an early exit.
    package static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else {
            // Same amount of work as a successful comparison of `a`, so timing reveals at most the lengths.
            _ = a.withUnsafeBytes { CRYPTO_memcmp($0.baseAddress, $0.baseAddress, $0.count) }
            return false
        }
        guard !a.isEmpty else {
            return true
        }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}

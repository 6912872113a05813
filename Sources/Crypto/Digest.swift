internal import COpenSSL

/// One-shot message digests.
///
/// ```swift
/// Hex.encode(Digest.sha256(Array("abc".utf8)))  // "ba7816bf…"
/// ```
package enum Digest {
    /// Size of a SHA-256 digest in bytes.
    package static let sha256ByteCount = 32

    /// Returns the SHA-256 digest (FIPS 180-4) of `bytes`.
    package static func sha256(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ sha256(buffer: UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { sha256(buffer: $0) }
    }

    /// Returns the SHA-256 digest of the UTF-8 bytes of `text`.
    package static func sha256(_ text: String) -> [UInt8] {
        sha256(Array(text.utf8))
    }

    private static func sha256(buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: sha256ByteCount)
        // `SHA256()` is OpenSSL's allocation-free one-shot: it cannot fail when given an output buffer.
        _ = digest.withUnsafeMutableBufferPointer { output in
            SHA256(buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count, output.baseAddress)
        }
        return digest
    }
}

internal import COpenSSL

/// Converts ECDSA P-256 signatures between DER (`ECDSA-Sig-Value`, what OpenSSL produces) and the raw `r ‖ s`
/// form JOSE uses (RFC 7518 §3.4: each integer left-padded to 32 bytes, 64 bytes in total).
enum ECDSASignature {
    /// Bytes per coordinate and per signature half on P-256.
    static let coordinateByteCount = 32

    /// Converts a DER signature to 64 raw bytes.
    static func raw(fromDER der: [UInt8]) throws -> [UInt8] {
        OpenSSLErrorQueue.clear()
        let signature = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let signature else {
            throw CryptoError.openSSL(.decodingFailed, "malformed DER ECDSA signature")
        }
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(signature, &r, &s)
        var output = [UInt8](repeating: 0, count: coordinateByteCount * 2)
        let written = output.withUnsafeMutableBufferPointer { buffer -> (Int32, Int32) in
            guard let base = buffer.baseAddress else {
                return (-1, -1)
            }
            let size = Int32(coordinateByteCount)
            return (BN_bn2binpad(r, base, size), BN_bn2binpad(s, base + coordinateByteCount, size))
        }
        guard written.0 == Int32(coordinateByteCount), written.1 == Int32(coordinateByteCount) else {
            throw CryptoError.openSSL(.decodingFailed, "ECDSA signature component longer than 32 bytes")
        }
        return output
    }

    /// Converts 64 raw bytes to a DER signature.
    static func der(fromRaw raw: [UInt8]) throws -> [UInt8] {
        guard raw.count == coordinateByteCount * 2 else {
            throw CryptoError(.invalidInput, "raw ES256 signature must be 64 bytes")
        }
        OpenSSLErrorQueue.clear()
        guard let signature = ECDSA_SIG_new() else {
            throw CryptoError.openSSL("ECDSA_SIG_new failed")
        }
        defer { ECDSA_SIG_free(signature) }
        let halves = raw.withUnsafeBufferPointer { buffer -> (OpaquePointer?, OpaquePointer?) in
            guard let base = buffer.baseAddress else {
                return (nil, nil)
            }
            let size = Int32(coordinateByteCount)
            return (BN_bin2bn(base, size, nil), BN_bin2bn(base + coordinateByteCount, size, nil))
        }
        guard let r = halves.0, let s = halves.1, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(halves.0)
            BN_free(halves.1)
            throw CryptoError.openSSL("ECDSA_SIG_set0 failed")
        }
        return try DEREncoding.encode("ECDSA signature") { i2d_ECDSA_SIG(signature, $0) }
    }
}

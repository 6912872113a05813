/// Runs OpenSSL's two-pass `i2d_*` convention: call with `NULL` for the length, then encode into a buffer.
enum DEREncoding {
    /// Calls `body` twice (length, then bytes) and returns the encoding.
    ///
    /// - Parameter body: forwards its argument as the `unsigned char **out` of an `i2d_*` function.
    /// - Throws: ``CryptoError/Code/openSSLFailure`` when the encoder reports a failure.
    static func encode(
        _ what: String,
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
    ) throws -> [UInt8] {
        let length = body(nil)
        guard length > 0 else {
            throw CryptoError.openSSL("i2d for \(what) failed")
        }
        var output = [UInt8](repeating: 0, count: Int(length))
        let written = output.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return body(&cursor)
        }
        guard written == length else {
            throw CryptoError.openSSL("i2d for \(what) wrote \(written) of \(length) bytes")
        }
        return output
    }

    /// Returns the content bytes of a DER TLV (tag, length, value), i.e. without tag and length.
    static func contentBytes(ofTLV der: [UInt8], expectedTag: UInt8) -> [UInt8]? {
        guard der.count >= 2, der[0] == expectedTag else {
            return nil
        }
        let first = Int(der[1])
        var offset = 2
        var length = first
        if first & 0x80 != 0 {
            let lengthBytes = first & 0x7f
            guard lengthBytes >= 1, lengthBytes <= 4, der.count >= 2 + lengthBytes else {
                return nil
            }
            length = 0
            for byte in der[2..<(2 + lengthBytes)] {
                length = (length << 8) | Int(byte)
            }
            offset = 2 + lengthBytes
        }
        guard der.count == offset + length else {
            return nil
        }
        return Array(der[offset...])
    }
}

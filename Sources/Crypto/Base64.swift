/// Standard base64 (RFC 4648 §4), for PEM bodies and PHC-style password hash strings.
package enum Base64 {
    /// Encodes `bytes` with the standard alphabet.
    ///
    /// - Parameter padding: append `=` to a multiple of four characters (default), or omit it (PHC strings).
    package static func encode(_ bytes: [UInt8], padding: Bool = true) -> String {
        Base64Codec.standard.encode(bytes, padding: padding)
    }

    /// Decodes standard base64, with or without correct `=` padding; `nil` when malformed.
    ///
    /// - Parameter ignoringWhitespace: skip spaces and line breaks (PEM bodies).
    package static func decode(_ text: some StringProtocol, ignoringWhitespace: Bool = false) -> [UInt8]? {
        Base64Codec.standard.decode(text, padding: .optional, ignoringWhitespace: ignoringWhitespace)
    }
}

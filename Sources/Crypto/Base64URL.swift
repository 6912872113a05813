/// Unpadded base64url (RFC 4648 §5) as required by JOSE and ACME (RFC 7515 §2, RFC 8555 §6.1).
///
/// ```swift
/// Base64URL.encode([0xfb, 0xff])     // "-_8"
/// Base64URL.decode("-_8=")           // nil: padding is rejected
/// ```
package enum Base64URL {
    /// Encodes `bytes` with the URL-safe alphabet and no `=` padding.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Base64Codec.url.encode(Array(bytes), padding: false)
    }

    /// Decodes unpadded base64url; `nil` for padding, whitespace, characters outside the alphabet or a
    /// non-canonical final character.
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        Base64Codec.url.decode(text, padding: .forbidden, ignoringWhitespace: false)
    }
}

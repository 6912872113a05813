import Crypto

/// RFC 2047 encoded-words for header text that is not ASCII: `=?utf-8?B?<base64>?=`.
///
/// Each word is at most 75 characters (§2) and holds whole UTF-8 characters (§5: a multi-octet character
/// must not be split between words), so a long text becomes several words, separated by folding white space
/// when written.
///
/// ```swift
/// MIMEEncodedWord.encode("Zertifikat läuft ab")   // ["=?utf-8?B?WmVydGlmaWthdCBsw6R1ZnQgYWI=?="]
/// ```
package enum MIMEEncodedWord {
    /// The longest encoded-word, delimiters included (RFC 2047 §2).
    package static let maximumLength = 75

    /// Encodes `text` as one or more B-encoded words.
    package static func encode(_ text: String) -> [String] {
        let prefix = "=?utf-8?B?"
        let suffix = "?="
        // Base64 turns 3 octets into 4 characters: the octets that fit in what the delimiters leave.
        let octetsPerWord = (maximumLength - prefix.count - suffix.count) / 4 * 3
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let octets = Array(String(character).utf8)
            if !chunk.isEmpty, chunk.count + octets.count > octetsPerWord {
                words.append(prefix + Base64.encode(chunk) + suffix)
                chunk = []
            }
            chunk += octets
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append(prefix + Base64.encode(chunk) + suffix)
        }
        return words
    }
}

/// TXT record data: one or more character-strings of up to 255 bytes each (RFC 1035 §3.3.14).
package struct DNSTXTRecord: Sendable, Hashable {
    /// The character-strings as raw bytes. Strings longer than 255 bytes are split when encoded.
    package var strings: [[UInt8]]

    /// Creates TXT data from raw character-strings.
    package init(strings: [[UInt8]]) {
        self.strings = strings
    }

    /// Creates TXT data from text, one character-string per element.
    package init(_ texts: [String]) {
        self.strings = texts.map { Array($0.utf8) }
    }

    /// Each character-string decoded as UTF-8 (invalid sequences become U+FFFD).
    package var texts: [String] { strings.map { String(decoding: $0, as: UTF8.self) } }

    /// All character-strings concatenated without separators, as RFC 7208 §3.3 and RFC 8461 §3.1 read them.
    package var joinedText: String { String(decoding: strings.flatMap { $0 }, as: UTF8.self) }
}

/// An entity-tag (RFC 9110 §8.8.3): an opaque validator in double quotes, weak when prefixed by `W/`.
///
/// `ETag` carries one; `If-Match` and `If-None-Match` carry `*` or a list of them. `If-Match` compares tags
/// strongly (RFC 9110 §8.8.3.2: a weak tag matches nothing), `If-None-Match` weakly (the opaque tags alone).
///
/// ```swift
/// EntityTag.list(parsing: #""20260101T000000", W/"x""#)
/// // [EntityTag(opaqueTag: "20260101T000000", isWeak: false), EntityTag(opaqueTag: "x", isWeak: true)]
/// ```
package struct EntityTag: Sendable, Hashable {
    /// The characters between the quotes.
    package var opaqueTag: String
    /// Whether the tag was sent as `W/"…"`.
    package var isWeak: Bool

    /// Creates a tag from its opaque part.
    package init(opaqueTag: String, isWeak: Bool = false) {
        self.opaqueTag = opaqueTag
        self.isWeak = isWeak
    }

    /// The tags of a `1#entity-tag` field value, or nil when it is not one.
    ///
    /// Empty list elements and the whitespace around commas are skipped (RFC 9110 §5.6.1.2); at least one tag
    /// is required. `W/` is case-sensitive and `etagc` is `!`, `#`…`~` or obs-text (RFC 9110 §8.8.3), so a
    /// quote cannot be escaped and a comma inside quotes belongs to the tag.
    package static func list(parsing value: String) -> [EntityTag]? {
        let bytes = Array(value.utf8)
        var tags: [EntityTag] = []
        var index = 0
        var expectsElement = true
        while index < bytes.count {
            let byte = bytes[index]
            if HTTPSyntax.isWhitespace(byte) {
                index += 1
            } else if byte == .comma {
                expectsElement = true
                index += 1
            } else {
                guard expectsElement, let (tag, end) = tag(in: bytes, at: index) else { return nil }
                tags.append(tag)
                index = end
                expectsElement = false
            }
        }
        return tags.isEmpty ? nil : tags
    }

    /// The entity-tag starting at `start`, and the index after its closing quote.
    private static func tag(in bytes: [UInt8], at start: Int) -> (EntityTag, Int)? {
        var index = start
        let isWeak = bytes[index...].starts(with: [UInt8(ascii: "W"), UInt8(ascii: "/")])
        if isWeak { index += 2 }
        guard index < bytes.count, bytes[index] == .quote else { return nil }
        index += 1
        let opaqueStart = index
        while index < bytes.count, bytes[index] != .quote {
            guard isEntityTagCharacter(bytes[index]) else { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let opaqueTag = String(decoding: bytes[opaqueStart..<index], as: UTF8.self)
        return (EntityTag(opaqueTag: opaqueTag, isWeak: isWeak), index + 1)
    }

    /// `etagc = %x21 / %x23-7E / obs-text` (RFC 9110 §8.8.3).
    private static func isEntityTagCharacter(_ byte: UInt8) -> Bool {
        byte == 0x21 || (byte >= 0x23 && byte != 0x7F)
    }
}

/// Byte classes from the HTTP grammar (RFC 9110 §5.6, RFC 9112 §2), shared by parser and serializer.
package enum HTTPSyntax {
    /// Whether `byte` is a `tchar` (RFC 9110 §5.6.2): ALPHA, DIGIT or one of ``!#$%&'*+-.^_`|~``.
    ///
    /// A bitmap per 64-byte half keeps this branch-light and free of lazily initialised tables.
    @inline(__always)
    package static func isTokenCharacter(_ byte: UInt8) -> Bool {
        isMember(byte, low: 0x03FF_6CFA_0000_0000, high: 0x57FF_FFFF_C7FF_FFFE)
    }

    @inline(__always)
    private static func isMember(_ byte: UInt8, low: UInt64, high: UInt64) -> Bool {
        if byte < 64 { return (low >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (high >> UInt64(byte &- 64)) & 1 == 1 }
        return false
    }

    /// Whether every byte of a non-empty sequence is a `tchar`.
    package static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where !isTokenCharacter(byte) { return false }
        return true
    }

    /// Whether `byte` may appear inside a field value: HTAB, SP, VCHAR or obs-text (RFC 9110 §5.5).
    ///
    /// Every other control byte, including CR, LF, NUL and DEL, is rejected.
    @inline(__always)
    package static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == .tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// Whether `byte` is optional whitespace (SP or HTAB, RFC 9110 §5.6.3).
    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == .space || byte == .tab
    }

    /// Whether `byte` may appear in a request-target: visible ASCII except `#` (RFC 3986 §3, RFC 9112 §3.2).
    @inline(__always)
    static func isTargetByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "#")
    }

    /// Whether `byte` may appear in a Host value: `uri-host [ ":" port ]` (RFC 3986 §3.2.2).
    @inline(__always)
    static func isHostByte(_ byte: UInt8) -> Bool {
        // ALPHA, DIGIT, unreserved, pct-encoded, sub-delims, ":" and the IP-literal brackets.
        isMember(byte, low: 0x2FFF_7FF2_0000_0000, high: 0x47FF_FFFE_AFFF_FFFE)
    }

    /// ASCII lower-casing of one byte.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    /// Case-insensitive ASCII comparison of bytes with a lower-case ASCII literal.
    static func equalsCaseInsensitive(_ bytes: some Collection<UInt8>, lowercase literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { expected in
            var index = 0
            for byte in bytes {
                if lowercased(byte) != expected[index] { return false }
                index += 1
            }
            return true
        }
    }

    /// Removes leading and trailing OWS from a slice.
    static func trimmingWhitespace(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// Whether `byte` is an ASCII decimal digit.
    @inline(__always)
    package static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The value of an ASCII hexadecimal digit, or `nil`.
    @inline(__always)
    package static func hexValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private enum ListScanState {
        case leadingWhitespace, matching, trailingWhitespace, skipping
    }

    /// Whether a comma-separated list (RFC 9110 §5.6.1) has an element equal to `token`, ignoring ASCII case
    /// and the whitespace around elements. Does not allocate.
    static func list(_ list: some Sequence<UInt8>, containsToken token: some Collection<UInt8>) -> Bool {
        var state = ListScanState.leadingWhitespace
        var index = token.startIndex
        for byte in list {
            if byte == .comma {
                if (state == .matching && index == token.endIndex) || state == .trailingWhitespace { return true }
                state = .leadingWhitespace
                index = token.startIndex
                continue
            }
            switch state {
            case .leadingWhitespace:
                if isWhitespace(byte) { continue }
                state = .matching
                fallthrough
            case .matching:
                if index != token.endIndex, lowercased(byte) == lowercased(token[index]) {
                    token.formIndex(after: &index)
                } else if index == token.endIndex, isWhitespace(byte) {
                    state = .trailingWhitespace
                } else {
                    state = .skipping
                }
            case .trailingWhitespace:
                if !isWhitespace(byte) { state = .skipping }
            case .skipping:
                break
            }
        }
        return (state == .matching && index == token.endIndex) || state == .trailingWhitespace
    }
}

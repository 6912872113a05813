extension MIMEParameters {
    /// The highest RFC 2231 section number accepted; the header budget bounds the count anyway.
    private static let maximumSection = 999

    /// Reads `*(";" parameter)` up to the end of the value (RFC 2045 §5.1), then applies RFC 2231.
    ///
    /// A parameter that does not parse (no name, no `=`, no value) is skipped up to the next `;`, as mail readers
    /// do, rather than invalidating the field.
    init(scanning scanner: inout MIMEHeaderValueScanner) {
        var raw: [(name: String, value: [UInt8])] = []
        while true {
            scanner.skipWhitespaceAndComments()
            if scanner.isAtEnd { break }
            guard scanner.consume(UInt8(ascii: ";")) else {
                scanner.skipToSemicolon()
                continue
            }
            guard let name = scanner.token(), scanner.consume(UInt8(ascii: "=")), let value = scanner.parameterValue()
            else {
                scanner.skipToSemicolon()
                continue
            }
            raw.append((MIMEText.lowercasedASCII(name), value))
        }
        self.init(Self.combining(raw))
    }

    /// Applies RFC 2231: `name*=charset'language'%XX…` (§4), and continuations `name*0=`, `name*1*=` (§3, §4.1)
    /// joined in section order up to the first gap. An extended or continued value wins over a plain `name=` given
    /// as a fallback for older readers.
    private static func combining(_ raw: [(name: String, value: [UInt8])]) -> [(String, String)] {
        var plain: [(String, String)] = []
        var extended: [String: String] = [:]
        var sections: [String: [Int: (value: [UInt8], isEncoded: Bool)]] = [:]
        // Bases in order of first appearance; the set keeps a value with thousands of parameters linear.
        var order: [String] = []
        var seen: Set<String> = []
        for (name, value) in raw {
            guard let star = name.utf8.firstIndex(of: UInt8(ascii: "*")) else {
                plain.append((name, MIMEText.lenientString(value)))
                continue
            }
            let base = String(decoding: name.utf8[..<star], as: UTF8.self)
            let rest = name.utf8[name.utf8.index(after: star)...]
            if seen.insert(base).inserted { order.append(base) }
            if rest.isEmpty {
                if extended[base] == nil { extended[base] = decodeExtended(value).text }
                continue
            }
            let isEncoded = rest.last == UInt8(ascii: "*")
            let digits = isEncoded ? rest.dropLast() : rest[...]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let section = Int(String(decoding: digits, as: UTF8.self)), section <= maximumSection,
                sections[base, default: [:]][section] == nil
            else { continue }
            sections[base, default: [:]][section] = (value, isEncoded)
        }
        var combined: [(String, String)] = []
        for base in order {
            if let value = extended[base] {
                combined.append((base, value))
            } else if let parts = sections[base], let value = joinSections(parts) {
                combined.append((base, value))
            }
        }
        return combined + plain
    }

    private static func joinSections(_ parts: [Int: (value: [UInt8], isEncoded: Bool)]) -> String? {
        guard let first = parts[0] else { return nil }
        var bytes: [UInt8]
        var charset: String?
        if first.isEncoded {
            let decoded = decodeExtended(first.value)
            bytes = decoded.bytes
            charset = decoded.charset
        } else {
            bytes = first.value
        }
        var section = 1
        while let part = parts[section] {
            bytes += part.isEncoded ? percentDecoded(part.value[...]) : part.value
            section += 1
        }
        return MIMEText.lenientString(bytes, latin1: isLatin1(charset))
    }

    /// Splits `charset'language'value` and percent-decodes the value (RFC 2231 §4); without the two apostrophes the
    /// whole value is percent-decoded.
    private static func decodeExtended(_ value: [UInt8]) -> (bytes: [UInt8], charset: String?, text: String) {
        let apostrophe = UInt8(ascii: "'")
        var charset: String?
        var encoded = value[...]
        if let first = value.firstIndex(of: apostrophe),
            let second = value[(first + 1)...].firstIndex(of: apostrophe)
        {
            charset = String(decoding: value[..<first], as: UTF8.self)
            encoded = value[(second + 1)...]
        }
        let bytes = percentDecoded(encoded)
        return (bytes, charset, MIMEText.lenientString(bytes, latin1: isLatin1(charset)))
    }

    /// `%XX` sequences decoded; a `%` not followed by two hex digits is kept.
    private static func percentDecoded(_ value: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(value.count)
        var index = value.startIndex
        while index < value.endIndex {
            if value[index] == UInt8(ascii: "%"), index + 2 < value.endIndex,
                let high = MIMEText.hexValue(value[index + 1]), let low = MIMEText.hexValue(value[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(value[index])
                index += 1
            }
        }
        return output
    }

    /// Whether an RFC 2231 charset names ISO-8859-1; any other charset is read as UTF-8, falling back to
    /// ISO-8859-1 when the bytes are not UTF-8.
    private static func isLatin1(_ charset: String?) -> Bool {
        guard let charset else { return false }
        return ["iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1"].contains(MIMEText.lowercasedASCII(charset))
    }
}

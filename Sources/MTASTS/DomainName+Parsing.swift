/// The validation rules behind ``DomainName/init(parsing:role:)``.
///
/// LDH rules follow RFC 1123 §2.1 / RFC 5890 §2.3.1; IDN handling follows IDNA2008 (RFC 5891 §4) in a reduced
/// form: U-labels are lower-cased with the Unicode default mapping (no NFC normalisation, no contextual rules)
/// and may contain lower-case or caseless letters, combining marks and decimal digits.
enum DomainNameParser {
    static let maximumLabelLength = 63

    static func labels(of input: String, maximumLength: Int) throws(DomainNameError) -> [String] {
        guard !input.isEmpty else { throw DomainNameError(.empty, message: "The domain name is empty.") }
        // Only a single trailing (root) dot is dropped; "example.com.." keeps an empty label.
        let text = input.hasSuffix(".") ? String(input.dropLast()) : input
        guard !text.isEmpty else { throw DomainNameError(.empty, message: "The domain name is empty.") }
        try checkCharacters(text)

        let rawLabels = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if rawLabels.count == 4, rawLabels.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isASCIIDigit) }) {
            throw DomainNameError(.ipAddress, message: "\"\(text)\" is an IPv4 address, not a domain name.")
        }
        let labels = try rawLabels.map { (raw: String) throws(DomainNameError) -> String in try aLabel(raw) }
        guard labels.count >= 2 else {
            throw DomainNameError(
                .singleLabel,
                label: labels.first,
                message: "\"\(text)\" has a single label; a fully qualified name such as example.com is needed."
            )
        }
        if let top = labels.last, top.utf8.allSatisfy(isASCIIDigit) {
            throw DomainNameError(
                .numericTopLevel,
                label: top,
                message: "The top-level label \"\(top)\" must not be all digits."
            )
        }
        let length = labels.joined(separator: ".").utf8.count
        guard length <= maximumLength else {
            throw DomainNameError(
                .tooLong,
                message: "The name is \(length) octets long; at most \(maximumLength) are allowed."
            )
        }
        return labels
    }

    /// Rejects IP literals, control characters and white space before labels are looked at.
    private static func checkCharacters(_ text: String) throws(DomainNameError) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case ":", "[", "]":
                throw DomainNameError(.ipAddress, message: "\"\(text)\" looks like an IP address literal, not a name.")
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.isWhitespace:
                throw DomainNameError(
                    .invalidCharacter(scalar),
                    message: "The name contains the control or space character \(scalar.codePointDescription)."
                )
            default:
                continue
            }
        }
    }

    /// Validates one label and returns its lower-case A-label form.
    static func aLabel(_ raw: String) throws(DomainNameError) -> String {
        guard !raw.isEmpty else {
            throw DomainNameError(
                .emptyLabel,
                message: "The name contains an empty label (two dots in a row or a leading dot)."
            )
        }
        if raw.contains("*") {
            throw DomainNameError(.wildcard, label: raw, message: "The label \"\(raw)\" contains a wildcard \"*\".")
        }
        if raw.contains("_") {
            throw DomainNameError(.underscore, label: raw, message: "The label \"\(raw)\" contains an underscore.")
        }
        if raw.unicodeScalars.allSatisfy(\.isASCII) {
            return try asciiLabel(lowercasedASCII(raw))
        }
        return try unicodeLabel(raw)
    }

    private static func asciiLabel(_ label: String) throws(DomainNameError) -> String {
        if let bad = label.unicodeScalars.first(where: { !isLDH($0) }) {
            throw DomainNameError(
                .invalidCharacter(bad),
                label: label,
                message: "The label \"\(label)\" contains \"\(bad)\"; only letters, digits and hyphens are allowed."
            )
        }
        guard label.utf8.count <= maximumLabelLength else {
            throw DomainNameError(
                .labelTooLong,
                label: label,
                message: "The label \"\(label)\" is \(label.utf8.count) octets long; at most 63 are allowed."
            )
        }
        try checkHyphens(label)
        if label.hasPrefix("xn--") {
            try checkPunycode(label)
        }
        return label
    }

    private static func unicodeLabel(_ raw: String) throws(DomainNameError) -> String {
        let label = raw.lowercased()
        try checkUnicodeScalars(label, shownAs: raw)
        try checkHyphens(label)
        let encoded: String
        do {
            encoded = "xn--" + (try Punycode.encode(label))
        } catch {
            throw DomainNameError(.invalidPunycode, label: raw, message: "The label \"\(raw)\" cannot be encoded.")
        }
        guard encoded.utf8.count <= maximumLabelLength else {
            throw DomainNameError(
                .labelTooLong,
                label: raw,
                message:
                    "The label \"\(raw)\" is \(encoded.utf8.count) octets long as an A-label; at most 63 are allowed."
            )
        }
        return encoded
    }

    /// An `xn--` label must decode to a valid lower-case U-label that encodes back to the same text.
    private static func checkPunycode(_ label: String) throws(DomainNameError) {
        let payload = String(label.dropFirst(4))
        let invalid = DomainNameError(
            .invalidPunycode,
            label: label,
            message: "The label \"\(label)\" is not a valid IDN A-label."
        )
        guard !payload.isEmpty, let decoded = try? Punycode.decode(payload) else { throw invalid }
        guard !decoded.unicodeScalars.allSatisfy(\.isASCII), decoded.lowercased() == decoded,
            (try? Punycode.encode(decoded)) == payload
        else { throw invalid }
        do {
            try checkUnicodeScalars(decoded, shownAs: label)
            try checkHyphens(decoded)
        } catch {
            throw invalid
        }
    }

    private static func checkUnicodeScalars(_ label: String, shownAs raw: String) throws(DomainNameError) {
        for (index, scalar) in label.unicodeScalars.enumerated() {
            let allowed: Bool
            if scalar.isASCII {
                allowed = isLDH(scalar) && !(0x41...0x5A).contains(scalar.value)
            } else {
                switch scalar.properties.generalCategory {
                case .lowercaseLetter, .otherLetter, .modifierLetter, .decimalNumber:
                    allowed = true
                case .nonspacingMark, .spacingMark, .enclosingMark:
                    // RFC 5891 §4.2.3.2: a label must not begin with a combining mark.
                    allowed = index > 0
                default:
                    allowed = false
                }
            }
            guard allowed else {
                throw DomainNameError(
                    .invalidCharacter(scalar),
                    label: raw,
                    message:
                        "The label \"\(raw)\" contains \(scalar.codePointDescription), which is not allowed in a hostname."
                )
            }
        }
    }

    private static func checkHyphens(_ label: String) throws(DomainNameError) {
        if label.hasPrefix("-") {
            throw DomainNameError(.leadingHyphen, label: label, message: "The label \"\(label)\" starts with a hyphen.")
        }
        if label.hasSuffix("-") {
            throw DomainNameError(.trailingHyphen, label: label, message: "The label \"\(label)\" ends with a hyphen.")
        }
        // RFC 5891 §4.2.3.1: "--" in positions 3 and 4 is reserved for ACE prefixes such as "xn--".
        let scalars = Array(label.unicodeScalars)
        if scalars.count >= 4, scalars[2] == "-", scalars[3] == "-", !label.hasPrefix("xn--") {
            throw DomainNameError(
                .reservedHyphens,
                label: label,
                message: "The label \"\(label)\" has \"--\" in positions 3-4, which is reserved for xn-- labels."
            )
        }
    }

    // MARK: - ASCII helpers

    static func isASCIIDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    static func isLDH(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D: true
        default: false
        }
    }

    static func lowercasedASCII(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

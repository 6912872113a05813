/// ABNF pieces shared by the MTA-STS TXT record, the TLSRPT TXT record and the policy file.
enum RecordGrammar {
    /// `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")` — RFC 8461 §3.1/§3.2, RFC 8460 §3.
    static func isExtensionName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 32, isAlphanumeric(first) else { return false }
        return bytes.dropFirst().allSatisfy { isAlphanumeric($0) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E }
    }

    /// `1*(%x21-3A / %x3C / %x3E-7E)`: printable ASCII without `;`, `=` or space (RFC 8461 §3.1, RFC 8460 §3).
    static func isExtensionValue(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != 0x3B && $0 != 0x3D }
    }

    /// `1*32(ALPHA / DIGIT)`.
    static func isPolicyID(_ value: String) -> Bool {
        (1...32).contains(value.utf8.count) && value.utf8.allSatisfy(isAlphanumeric)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }

    /// Drops leading and trailing `WSP` (space and horizontal tab).
    static func trimmingWhitespace(_ text: Substring.UnicodeScalarView) -> Substring.UnicodeScalarView {
        guard let start = text.firstIndex(where: { !isWhitespace($0) }),
            let end = text.lastIndex(where: { !isWhitespace($0) })
        else { return text[text.endIndex...] }
        return text[start...end]
    }

    /// Drops leading and trailing `WSP` from a string.
    static func trimmingWhitespace(_ text: Substring) -> String {
        String(trimmingWhitespace(text.unicodeScalars))
    }

    static func lowercasedASCII(_ text: String) -> String { DomainNameParser.lowercasedASCII(text) }

    /// Splits a TXT record of the form `v=<version> *(delim field) [delim]` into its fields.
    ///
    /// Shared by RFC 8461 §3.1 and RFC 8460 §3: `field-delim = *WSP ";" *WSP`, the version first, a trailing
    /// delimiter allowed. Splitting at `;` is safe because no field value may contain one (TLSRPT URIs must
    /// percent-encode it). Field names are validated here; values are left to the caller.
    /// - Returns: The `(name, value)` pairs after the version, in order, duplicates included.
    static func fields(of record: String, version: String) throws(RecordError) -> [(name: String, value: String)] {
        // Both RFCs require US-ASCII; HTAB is allowed as WSP.
        if let bad = record.unicodeScalars.first(where: { !((0x20...0x7E).contains($0.value) || $0 == "\t") }) {
            throw RecordError(
                .invalidCharacter,
                message: "The record contains \(bad.codePointDescription); only printable ASCII is allowed."
            )
        }
        let parts = record.split(separator: ";", omittingEmptySubsequences: false)
        let versionField = "v=" + version
        guard record.hasPrefix(versionField) else {
            throw RecordError(.missingVersion, field: "v", message: "The record must start with \"\(versionField)\".")
        }
        guard trimmingWhitespace(parts[0]) == versionField else {
            throw RecordError(
                .invalidVersion,
                field: "v",
                message: "The first field must be exactly \"\(versionField)\"."
            )
        }
        var fields: [(name: String, value: String)] = []
        for (offset, part) in parts.dropFirst().enumerated() {
            let field = trimmingWhitespace(part)
            if field.isEmpty {
                // Only the final delimiter may be followed by nothing.
                guard offset == parts.count - 2 else {
                    throw RecordError(.emptyField, message: "The record contains an empty field (\";;\").")
                }
                continue
            }
            guard let equals = field.firstIndex(of: "=") else {
                throw RecordError(.invalidField, message: "The field \"\(field)\" has no \"=\".")
            }
            let name = String(field[..<equals])
            guard isExtensionName(name) else {
                throw RecordError(.invalidField, message: "\"\(name)\" is not a valid field name.")
            }
            fields.append((name, String(field[field.index(after: equals)...])))
        }
        return fields
    }

    /// Collects extension fields (first occurrence of each name wins) and validates their values.
    static func extensions(
        from fields: [(name: String, value: String)],
        known: Set<String>
    ) throws(RecordError) -> [RecordExtension] {
        var result: [RecordExtension] = []
        for (name, value) in fields where !known.contains(name) {
            guard isExtensionValue(value) else {
                throw RecordError(
                    .invalidExtension,
                    field: name,
                    message: "The value of extension field \"\(name)\" is invalid."
                )
            }
            if !result.contains(where: { $0.name == name }) {
                result.append(RecordExtension(name: name, value: value))
            }
        }
        return result
    }
}

/// An unknown `name=value` field of a TXT record; kept for diagnostics, ignored semantically.
package struct RecordExtension: Hashable, Sendable {
    /// The field name.
    package let name: String
    /// The field value.
    package let value: String

    /// Creates an extension field (not validated; parsing validates).
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

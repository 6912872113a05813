// MARK: - Parsing a policy file (RFC 8461 §3.2)

extension Policy {
    /// Parses a policy file body as a sender would, following the RFC 8461 §3.2 ABNF.
    ///
    /// Accepted: LF or CRLF line terminators (the ABNF's `sts-policy-term = LF / CRLF`, erratum 6253), at most one
    /// terminator after the last line, any field order, unknown (extension) fields (ignored, §3.2), repeated `mx`
    /// lines (kept in order; repeated equal patterns collapse to one), repeated non-`mx` fields (the first wins,
    /// later copies are not even validated), trailing white space after a value and `*WSP` after the colon.
    ///
    /// Rejected, each with the line number: a UTF-8 byte order mark (the ABNF has no place for one), blank lines
    /// and extra terminators (the ABNF puts a field between any two terminators), a bare CR (`CR` is only allowed
    /// as part of CRLF), leading white space before a key (a field starts with its name), control characters
    /// other than HTAB (no CTLs in names or values), a line without `:`, a key that is not a valid field name,
    /// and known fields with invalid values. Field names are case-sensitive (`%s"mode"`), so `Mode:` is an
    /// unknown field; the resulting "missing mode" error mentions it.
    /// `mx` values must be ASCII: the ABNF's `Domain` (RFC 5321) is LDH-only and IDNs MUST appear as A-labels.
    /// - Throws: `PolicyError` describing the first problem.
    package init(parsing text: String) throws(PolicyError) {
        var parser = PolicyParser()
        for (index, line) in try PolicyParser.split(text).enumerated() {
            do {
                try parser.consume(line, number: index + 1)
            } catch {
                throw error.at(line: index + 1)
            }
        }
        self = try parser.finish()
    }
}

/// Accumulates fields line by line for ``Policy/init(parsing:)``.
struct PolicyParser {
    private var version: String?
    private var mode: PolicyMode?
    private var maxAge: Int?
    private var mx: [MXPattern] = []
    private var caseMismatchedKeys: [String] = []

    /// Splits the body into lines, validating terminators.
    static func split(_ text: String) throws(PolicyError) -> [String.UnicodeScalarView.SubSequence] {
        let scalars = text.unicodeScalars
        guard let first = scalars.first else {
            throw PolicyError(.emptyPolicy, message: "The policy is empty.")
        }
        if first == "\u{FEFF}" {
            throw PolicyError(.byteOrderMark, line: 1, message: "The policy starts with a byte order mark (U+FEFF).")
        }
        var lines: [String.UnicodeScalarView.SubSequence] = []
        var lineStart = scalars.startIndex
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\r" {
                let next = scalars.index(after: index)
                if scalar == "\r" && (next == scalars.endIndex || scalars[next] != "\n") {
                    throw PolicyError(
                        .bareCarriageReturn,
                        line: lines.count + 1,
                        message: "A carriage return not followed by a line feed was found."
                    )
                }
                lines.append(scalars[lineStart..<index])
                index = scalar == "\r" ? scalars.index(after: next) : next
                lineStart = index
            } else {
                index = scalars.index(after: index)
            }
        }
        // A final line without a terminator is allowed (`[sts-policy-term]`).
        if lineStart < scalars.endIndex {
            lines.append(scalars[lineStart...])
        }
        return lines
    }

    mutating func consume(_ line: String.UnicodeScalarView.SubSequence, number: Int) throws(PolicyError) {
        guard let first = line.first else {
            throw PolicyError(.blankLine, message: "Blank lines are not allowed in a policy.")
        }
        if first == " " || first == "\t" {
            throw PolicyError(.leadingWhitespace, message: "A line starts with white space before its key.")
        }
        if let control = line.first(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            throw PolicyError(
                .controlCharacter,
                message: "The line contains the control character \(control.codePointDescription)."
            )
        }
        guard let colon = line.firstIndex(of: ":") else {
            throw PolicyError(.missingColon, message: "The line has no \":\" separating key and value.")
        }
        let key = String(line[..<colon])
        guard RecordGrammar.isExtensionName(key) else {
            throw PolicyError(.invalidFieldName, message: "\"\(key)\" is not a valid field name.")
        }
        let value = String(RecordGrammar.trimmingWhitespace(line[line.index(after: colon)...]))
        switch key {
        case "version":
            guard version == nil else { return }
            guard value == "STSv1" else {
                throw PolicyError(.invalidVersion, field: key, message: "version must be STSv1, not \"\(value)\".")
            }
            version = value
        case "mode":
            guard mode == nil else { return }
            guard let parsed = PolicyMode(rawValue: value) else {
                throw PolicyError(
                    .invalidMode,
                    field: key,
                    message: "mode must be enforce, testing or none, not \"\(value)\"."
                )
            }
            mode = parsed
        case "max_age":
            guard maxAge == nil else { return }
            maxAge = try Self.parseMaxAge(value)
        case "mx":
            guard value.unicodeScalars.allSatisfy(\.isASCII) else {
                throw PolicyError(
                    .invalidMXPattern,
                    field: key,
                    message: "The mx pattern \"\(value)\" must use A-labels (xn--...), not Unicode."
                )
            }
            let pattern = try MXPattern(parsing: value)
            if !mx.contains(pattern) { mx.append(pattern) }
        default:
            // Unknown extension fields MUST be ignored (RFC 8461 §3.2).
            if ["version", "mode", "max_age", "mx"].contains(RecordGrammar.lowercasedASCII(key)) {
                caseMismatchedKeys.append(key)
            }
        }
    }

    /// `sts-policy-max-age-value = 1*10(DIGIT)`, then the prose limit of 31557600.
    private static func parseMaxAge(_ value: String) throws(PolicyError) -> Int {
        let digits = value.utf8
        guard (1...10).contains(digits.count), digits.allSatisfy(DomainNameParser.isASCIIDigit), let number = Int(value)
        else {
            throw PolicyError(
                .invalidMaxAge,
                field: "max_age",
                message: "max_age must be 1 to 10 digits, not \"\(value)\"."
            )
        }
        guard number <= Policy.maxAgeLimit else {
            throw PolicyError(
                .maxAgeOutOfRange,
                field: "max_age",
                message: "max_age \(number) exceeds the maximum of \(Policy.maxAgeLimit) seconds."
            )
        }
        return number
    }

    func finish() throws(PolicyError) -> Policy {
        let hint =
            caseMismatchedKeys.isEmpty
            ? "" : " (field names are case-sensitive; found \(caseMismatchedKeys.joined(separator: ", ")))"
        guard version != nil else {
            throw PolicyError(.missingVersion, field: "version", message: "The policy has no version field\(hint).")
        }
        guard let mode else {
            throw PolicyError(.missingMode, field: "mode", message: "The policy has no mode field\(hint).")
        }
        guard let maxAge else {
            throw PolicyError(.missingMaxAge, field: "max_age", message: "The policy has no max_age field\(hint).")
        }
        return try Policy(mode: mode, mx: mx, maxAge: maxAge)
    }
}

// MARK: - Parsing a command line (RFC 5321 §4.1.1, §4.1.2)

extension SMTPCommand {
    /// Parses one command line, without its line end.
    ///
    /// Verbs compare case-insensitively and trailing spaces are ignored. The session limits the line's length
    /// before this runs. Paths follow ``SMTPPath/parse(_:allowsNull:)``; a space between `FROM:`/`TO:` and the path
    /// is tolerated (many clients send one), a missing pair of angle brackets is not.
    /// - Throws: ``SMTPCommandError`` with the reply that refuses the line.
    init(parsing line: ArraySlice<UInt8>) throws(SMTPCommandError) {
        var end = line.endIndex
        while end > line.startIndex, line[end - 1] == Self.space || line[end - 1] == Self.tab { end -= 1 }
        let text = line[line.startIndex..<end]
        let verbEnd = text.firstIndex(of: Self.space) ?? text.endIndex
        let verb = text[text.startIndex..<verbEnd]
        let argument = verbEnd < text.endIndex ? text[(verbEnd + 1)...] : text[text.endIndex...]
        guard (4...8).contains(verb.count) else { throw SMTPCommandError(.unrecognized) }
        switch String(decoding: verb.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self) {
        case "EHLO": self = .ehlo(try Self.domainArgument(argument, verb: "EHLO"))
        case "HELO": self = .helo(try Self.domainArgument(argument, verb: "HELO"))
        case "MAIL": self = try Self.mail(argument)
        case "RCPT": self = try Self.rcpt(argument)
        case "DATA":
            try Self.requireNoArgument(argument)
            self = .data
        case "RSET":
            try Self.requireNoArgument(argument)
            self = .rset
        case "QUIT":
            try Self.requireNoArgument(argument)
            self = .quit
        case "STARTTLS":
            try Self.requireNoArgument(argument)
            self = .startTLS
        case "NOOP": self = .noop
        case "HELP": self = .help
        case "VRFY":
            guard !argument.isEmpty else { throw SMTPCommandError(.syntax, detail: "Syntax: VRFY <address>") }
            self = .vrfy
        case "EXPN", "TURN", "ETRN", "ATRN", "AUTH", "BDAT", "SEND", "SOML", "SAML": self = .notImplemented
        default: throw SMTPCommandError(.unrecognized)
        }
    }

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    private static func requireNoArgument(_ argument: ArraySlice<UInt8>) throws(SMTPCommandError) {
        guard argument.isEmpty else { throw SMTPCommandError(.syntax, detail: "Syntax error (no parameters allowed)") }
    }

    /// EHLO's and HELO's argument: one word of printable US-ASCII, at most 255 octets.
    ///
    /// Not checked against the `Domain` grammar: §4.1.4 lets a server verify the name but not refuse the session
    /// for it, and real clients send names with underscores or bare words.
    private static func domainArgument(_ argument: ArraySlice<UInt8>, verb: String) throws(SMTPCommandError) -> String {
        guard (1...SMTPPath.maximumDomainBytes).contains(argument.count),
            argument.allSatisfy({ (0x21...0x7E).contains($0) })
        else { throw SMTPCommandError(.syntax, detail: "Syntax: \(verb) <hostname>") }
        return String(decoding: argument, as: UTF8.self)
    }

    /// `FROM:` reverse-path, then SIZE and BODY parameters.
    private static func mail(_ argument: ArraySlice<UInt8>) throws(SMTPCommandError) -> SMTPCommand {
        guard let rest = afterKeyword("FROM:", in: argument) else {
            throw SMTPCommandError(.syntax, detail: "Syntax: MAIL FROM:<address>")
        }
        guard let (path, end) = SMTPPath.parse(rest, allowsNull: true) else { throw SMTPCommandError(.badSender) }
        var parameters = SMTPMailParameters()
        for (keyword, value) in try Self.parameters(rest[end...]) {
            switch keyword {
            case "SIZE":
                guard parameters.size == nil, let value, (1...20).contains(value.count),
                    value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                else { throw SMTPCommandError(.syntax, detail: "Syntax: SIZE=<octets>") }
                // A number too large for Int is larger than any limit.
                parameters.size = value.reduce(0) { total, digit in
                    let (scaled, overflow) = total.multipliedReportingOverflow(by: 10)
                    let (sum, carry) = scaled.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
                    return overflow || carry || total == .max ? .max : sum
                }
            case "BODY":
                let type = value.flatMap { SMTPBodyType(rawValue: String(decoding: $0, as: UTF8.self).uppercased()) }
                guard parameters.body == nil, let type else {
                    throw SMTPCommandError(.syntax, detail: "Syntax: BODY=7BIT or BODY=8BITMIME")
                }
                parameters.body = type
            default:
                throw SMTPCommandError(.unknownParameter)
            }
        }
        return .mail(path, parameters)
    }

    /// `TO:` forward-path; no parameters are implemented.
    private static func rcpt(_ argument: ArraySlice<UInt8>) throws(SMTPCommandError) -> SMTPCommand {
        guard let rest = afterKeyword("TO:", in: argument) else {
            throw SMTPCommandError(.syntax, detail: "Syntax: RCPT TO:<address>")
        }
        guard let (path, end) = SMTPPath.parse(rest, allowsNull: false) else { throw SMTPCommandError(.badRecipient) }
        guard try Self.parameters(rest[end...]).isEmpty else { throw SMTPCommandError(.unknownParameter) }
        return .rcpt(path)
    }

    /// The bytes after `keyword` (compared case-insensitively) and any spaces after it.
    private static func afterKeyword(_ keyword: StaticString, in argument: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let expected = UnsafeBufferPointer(start: keyword.utf8Start, count: keyword.utf8CodeUnitCount)
        guard argument.count >= expected.count else { return nil }
        for (offset, byte) in expected.enumerated() {
            let actual = argument[argument.startIndex + offset]
            guard actual == byte || (actual >= 0x61 && actual <= 0x7A && actual - 0x20 == byte) else { return nil }
        }
        var index = argument.startIndex + expected.count
        while index < argument.endIndex, argument[index] == space { index += 1 }
        return argument[index...]
    }

    /// `SP esmtp-param *(SP esmtp-param)` after a path: upper-cased keywords with their values.
    /// - Throws: ``SMTPCommandError/Code/syntax`` for bytes after the path that are not parameters.
    private static func parameters(
        _ bytes: ArraySlice<UInt8>
    ) throws(SMTPCommandError) -> [(keyword: String, value: ArraySlice<UInt8>?)] {
        guard !bytes.isEmpty else { return [] }
        guard bytes.first == space else { throw SMTPCommandError(.syntax) }
        var result: [(keyword: String, value: ArraySlice<UInt8>?)] = []
        for parameter in bytes.split(separator: space) {
            let equals = parameter.firstIndex(of: UInt8(ascii: "="))
            let keyword = parameter[parameter.startIndex..<(equals ?? parameter.endIndex)]
            let value = equals.map { parameter[($0 + 1)...] }
            // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); esmtp-value = 1*(%d33-60 / %d62-126).
            guard let first = keyword.first, isLetterOrDigit(first),
                keyword.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }),
                value.map({ !$0.isEmpty && $0.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "=") } })
                    ?? true
            else { throw SMTPCommandError(.syntax) }
            result.append((String(decoding: keyword, as: UTF8.self).uppercased(), value))
        }
        return result
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || ((byte | 0x20) >= UInt8(ascii: "a")
                && (byte | 0x20) <= UInt8(ascii: "z"))
    }
}

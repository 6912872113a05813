/// The service extensions a server lists in its EHLO reply (RFC 5321 §4.1.1.1), with typed accessors for those
/// the probe and the submission client use.
///
/// The first reply line is the server's domain and greeting; each later line is `ehlo-keyword *(SP ehlo-param)`
/// with keywords compared case-insensitively. The pre-standard `AUTH=LOGIN PLAIN` line some servers still send
/// is read as `AUTH`. Lines that are not ehlo-lines are kept in ``ignoredLines`` rather than failing the
/// session: one odd line must not hide STARTTLS from a checker.
///
/// ```swift
/// let extensions = SMTPServerExtensions(ehloReply: reply)
/// if extensions.supportsSTARTTLS { … }
/// extensions.authenticationMechanisms   // ["PLAIN", "LOGIN"]
/// extensions.maximumMessageSize         // 35882577 (SIZE)
/// ```
package struct SMTPServerExtensions: Sendable, Hashable {
    /// One advertised extension.
    package struct Keyword: Sendable, Hashable {
        /// The keyword, upper-cased, e.g. `"SIZE"`.
        package let name: String
        /// Its parameters as sent, e.g. `["35882577"]`.
        package let parameters: [String]
    }

    /// The first word of the first line: the domain the server names itself by (RFC 5321 §4.1.1.1).
    package let domain: String
    /// The extensions in the order sent; a keyword sent twice appears twice.
    package let keywords: [Keyword]
    /// Lines after the first that are not `ehlo-keyword *(SP ehlo-param)`.
    package let ignoredLines: [String]

    /// Reads the extensions from the lines of a positive EHLO reply.
    package init(ehloReply: SMTPReply) {
        self.domain = ehloReply.lines[0].split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        var keywords: [Keyword] = []
        var ignored: [String] = []
        for line in ehloReply.lines.dropFirst() {
            if let keyword = Self.parse(line) {
                keywords.append(keyword)
            } else {
                ignored.append(line)
            }
        }
        self.keywords = keywords
        self.ignoredLines = ignored
    }

    /// Whether `keyword` (any case) was advertised.
    package func supports(_ keyword: String) -> Bool {
        parameters(for: keyword) != nil
    }

    /// The parameters of the first line advertising `keyword` (any case); `nil` when it was not advertised.
    package func parameters(for keyword: String) -> [String]? {
        let name = SMTPSyntax.uppercased(keyword)
        return keywords.first { $0.name == name }?.parameters
    }

    /// STARTTLS (RFC 3207).
    package var supportsSTARTTLS: Bool { supports("STARTTLS") }
    /// 8BITMIME (RFC 6152): message bodies may contain octets above 127.
    package var supports8BitMIME: Bool { supports("8BITMIME") }
    /// PIPELINING (RFC 2920).
    package var supportsPipelining: Bool { supports("PIPELINING") }
    /// SMTPUTF8 (RFC 6531): UTF-8 addresses and headers.
    package var supportsSMTPUTF8: Bool { supports("SMTPUTF8") }
    /// ENHANCEDSTATUSCODES (RFC 2034).
    package var supportsEnhancedStatusCodes: Bool { supports("ENHANCEDSTATUSCODES") }

    /// The SIZE limit in octets (RFC 1870 §4); `nil` when SIZE was not advertised, was advertised without a
    /// number, or with 0 ("no fixed maximum").
    package var maximumMessageSize: Int? {
        guard let parameter = parameters(for: "SIZE")?.first, parameter.utf8.allSatisfy(SMTPSyntax.isDigit),
            let size = Int(parameter), size > 0
        else { return nil }
        return size
    }

    /// The SASL mechanisms of every AUTH line (RFC 4954 §3), upper-cased, in order, without repeats.
    package var authenticationMechanisms: [String] {
        var mechanisms: [String] = []
        for keyword in keywords where keyword.name == "AUTH" {
            for mechanism in keyword.parameters.map(SMTPSyntax.uppercased) where !mechanisms.contains(mechanism) {
                mechanisms.append(mechanism)
            }
        }
        return mechanisms
    }

    /// Parses an ehlo-line: `ehlo-keyword *(SP ehlo-param)`, keyword `(ALPHA / DIGIT) *(ALPHA / DIGIT / "-")`,
    /// parameters `1*(%d33-126)`; also `AUTH=mechanism…`.
    private static func parse(_ line: String) -> Keyword? {
        var bytes = Array(line.utf8)[...]
        // The pre-RFC 4954 form of AUTH (some servers send both forms).
        if bytes.count > 5, SMTPSyntax.uppercased(line.prefix(5)) == "AUTH=" {
            bytes = bytes.dropFirst(5)
            return parameters(bytes).map { Keyword(name: "AUTH", parameters: $0) }
        }
        let nameEnd = bytes.firstIndex(of: UInt8(ascii: " ")) ?? bytes.endIndex
        let name = bytes[..<nameEnd]
        guard let first = name.first, SMTPSyntax.isAlpha(first) || SMTPSyntax.isDigit(first),
            name.allSatisfy({ SMTPSyntax.isAlpha($0) || SMTPSyntax.isDigit($0) || $0 == UInt8(ascii: "-") }),
            let parameters = parameters(bytes[nameEnd...].dropFirst())
        else { return nil }
        return Keyword(name: SMTPSyntax.uppercased(String(decoding: name, as: UTF8.self)), parameters: parameters)
    }

    /// Splits `ehlo-param *(SP ehlo-param)`; `nil` when a parameter has a byte outside `%d33-126` or two spaces
    /// meet. An empty input is no parameters.
    private static func parameters(_ bytes: ArraySlice<UInt8>) -> [String]? {
        guard !bytes.isEmpty else { return [] }
        let parts = bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(SMTPSyntax.isVisible) }) else { return nil }
        return parts.map { String(decoding: $0, as: UTF8.self) }
    }
}

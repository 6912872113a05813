// MARK: - Reporting URI validation (RFC 8460 §3, RFC 3986, RFC 6068)

extension TLSRPTRecord {
    /// Checks one `rua` URI.
    ///
    /// Rules: printable ASCII URI characters only (RFC 3986 §2); `,`, `!` and `;` must be percent-encoded
    /// (RFC 8460 §3); every `%` starts a two-digit hex escape; the scheme (case-insensitive) is `mailto` or
    /// `https`. A `mailto:` URI must carry one addr-spec-looking address (`local@host`, decoded, before any `?`)
    /// whose host is a valid hostname. An `https:` URI must have `//` and a hostname, optionally with userinfo
    /// and a numeric port. IP-literal hosts are not accepted for either scheme.
    /// - Throws: `RecordError` with code `.invalidRUA` and field `"rua"`.
    package static func validateURI(_ uri: String) throws(RecordError) {
        func invalid(_ reason: String) -> RecordError {
            RecordError(.invalidRUA, field: "rua", message: "The reporting URI \"\(uri)\" is invalid: \(reason).")
        }
        guard !uri.isEmpty else { throw invalid("it is empty") }
        let bytes = Array(uri.utf8)
        if let bad = bytes.first(where: { $0 == 0x2C || $0 == 0x21 || $0 == 0x3B }) {
            throw invalid("\"\(Character(Unicode.Scalar(bad)))\" must be percent-encoded")
        }
        guard bytes.allSatisfy(isURICharacter) else { throw invalid("it contains characters not allowed in a URI") }
        guard percentDecoded(bytes) != nil else { throw invalid("it has a malformed percent-escape") }

        let lowered = RecordGrammar.lowercasedASCII(uri)
        if lowered.hasPrefix("mailto:") {
            let target = uri.dropFirst("mailto:".count).prefix { $0 != "?" }
            guard let address = percentDecoded(Array(target.utf8)),
                let addressText = String(validating: address, as: UTF8.self),
                let at = addressText.lastIndex(of: "@")
            else { throw invalid("a mailto URI needs an address local@domain") }
            let local = addressText[..<at]
            let host = String(addressText[addressText.index(after: at)...])
            guard !local.isEmpty, !local.contains(where: { $0.isWhitespace }) else {
                throw invalid("the address has no local part")
            }
            do {
                _ = try DomainName.parseHostname(host)
            } catch {
                throw invalid("the address domain is not valid (\(error.message))")
            }
        } else if lowered.hasPrefix("https:") {
            let rest = uri.dropFirst("https:".count)
            guard rest.hasPrefix("//") else { throw invalid("an https URI needs a host (https://host/...)") }
            let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let hostAndPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
            var host = hostAndPort
            if let colon = hostAndPort.lastIndex(of: ":") {
                let port = hostAndPort[hostAndPort.index(after: colon)...]
                guard !port.isEmpty, port.count <= 5, port.utf8.allSatisfy(DomainNameParser.isASCIIDigit) else {
                    throw invalid("the port is not a number")
                }
                host = hostAndPort[..<colon]
            }
            guard !host.isEmpty else { throw invalid("an https URI needs a host") }
            do {
                _ = try DomainName.parseHostname(String(host))
            } catch {
                throw invalid("the host is not valid (\(error.message))")
            }
        } else {
            throw invalid("only mailto: and https: URIs are allowed")
        }
    }

    /// RFC 3986 §2: unreserved, reserved and `%`.
    private static func isURICharacter(_ byte: UInt8) -> Bool {
        if RecordGrammar.isAlphanumeric(byte) { return true }
        return Array("-._~:/?#[]@!$&'()*+,;=%".utf8).contains(byte)
    }

    /// Decodes `%XX` escapes; `nil` if an escape is malformed.
    private static func percentDecoded(_ bytes: [UInt8]) -> [UInt8]? {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x25 else {
                result.append(bytes[index])
                index += 1
                continue
            }
            guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            else { return nil }
            result.append(high << 4 | low)
            index += 3
        }
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

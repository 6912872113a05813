// MARK: - Parsing (RFC 5321 §4.1.2)

extension SMTPPath {
    /// The most octets of a local part, a domain and a whole path (RFC 5321 §4.5.3.1.1–3).
    static let maximumLocalPartBytes = 64
    static let maximumDomainBytes = 255
    static let maximumPathBytes = 256

    /// Parses a path at the start of `bytes`: `<` [source route `:`] mailbox `>`, or `<>` when `allowsNull`, or
    /// `<Postmaster>`.
    ///
    /// - Parameters:
    ///   - bytes: The command's argument from the `<` on.
    ///   - allowsNull: Whether `<>` is accepted (a reverse-path).
    /// - Returns: The path and the index just after its `>`, or nil when the bytes are not a path: no angle
    ///   brackets, a bad local part or domain, a part too long, or any byte outside printable US-ASCII (this server
    ///   does not offer SMTPUTF8, RFC 6531).
    static func parse(_ bytes: ArraySlice<UInt8>, allowsNull: Bool) -> (path: SMTPPath, end: Int)? {
        var index = bytes.startIndex
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "<") else { return nil }
        index += 1
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ">") {
            return allowsNull ? (.null, index + 1) : nil
        }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "@") {
            // A-d-l ":": a source route, skipped (§3.6.1); its domains are checked like any other.
            guard let colon = bytes[index...].firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let route = bytes[index..<colon].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard
                route.allSatisfy({ hop in
                    hop.first == UInt8(ascii: "@") && isDomain(hop.dropFirst())
                })
            else { return nil }
            index = colon + 1
        }
        guard let (localPart, afterLocal) = localPart(bytes[index...]) else { return nil }
        index = afterLocal
        var domain: ArraySlice<UInt8> = []
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "@") {
            guard let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
            domain = bytes[(index + 1)..<close]
            guard isDomain(domain) || isAddressLiteral(domain) else { return nil }
            index = close
        }
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ">") else { return nil }
        guard localPart.count + 1 + domain.count <= maximumPathBytes - 2 else { return nil }
        let path = SMTPPath(
            localPart: String(decoding: localPart, as: UTF8.self),
            domain: String(decoding: domain, as: UTF8.self)
        )
        // Only Postmaster may go without a domain (§4.1.1.3).
        guard !domain.isEmpty || path.isBarePostmaster else { return nil }
        return (path, index + 1)
    }

    /// `Dot-string / Quoted-string` at the start of `bytes`: the local part's bytes and the index after them.
    private static func localPart(_ bytes: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, Int)? {
        var index = bytes.startIndex
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") {
            // Quoted-string: qtextSMTP (%d32-33 / %d35-91 / %d93-126) or a backslash before %d32-126.
            index += 1
            while index < bytes.endIndex, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") {
                    index += 1
                    guard index < bytes.endIndex, (0x20...0x7E).contains(bytes[index]) else { return nil }
                } else {
                    guard (0x20...0x7E).contains(bytes[index]) else { return nil }
                }
                index += 1
            }
            guard index < bytes.endIndex else { return nil }
            index += 1
        } else {
            // Dot-string: atoms of atext separated by single dots.
            var atomLength = 0
            while index < bytes.endIndex {
                let byte = bytes[index]
                if isAtomText(byte) {
                    atomLength += 1
                } else if byte == UInt8(ascii: "."), atomLength > 0 {
                    atomLength = 0
                } else {
                    break
                }
                index += 1
            }
            guard atomLength > 0 else { return nil }
        }
        let part = bytes[bytes.startIndex..<index]
        guard (1...maximumLocalPartBytes).contains(part.count) else { return nil }
        return (part, index)
    }

    /// `Domain`: dot-separated labels of letters, digits and inner hyphens (`Let-dig [Ldh-str]`).
    static func isDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard (1...maximumDomainBytes).contains(bytes.count) else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// `address-literal`: `[` then printable US-ASCII but `[`, `]` and `\` then `]` (the general form covers the
    /// IPv4 and IPv6 ones, §4.1.3).
    static func isAddressLiteral(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count > 2, bytes.count <= maximumDomainBytes, bytes.first == UInt8(ascii: "["),
            bytes.last == UInt8(ascii: "]")
        else { return false }
        return bytes.dropFirst().dropLast().allSatisfy {
            (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]")
                && $0 != UInt8(ascii: "\\")
        }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || ((byte | 0x20) >= UInt8(ascii: "a")
                && (byte | 0x20) <= UInt8(ascii: "z"))
    }

    /// `atext` (RFC 5322 §3.2.3).
    private static func isAtomText(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || atomSpecials.contains(byte)
    }

    private static let atomSpecials = Array("!#$%&'*+-/=?^_`{|}~".utf8)
}

// MARK: - Parsing "host:port"

extension SocketAddress {
    /// Parses `"127.0.0.1:8080"` or `"[::1]:443"`: a numeric IP literal (IPv6 in brackets) and a decimal port.
    ///
    /// Names are not resolved: `"localhost:80"` is rejected, as is an unbracketed IPv6 literal.
    /// - Throws: ``SocketAddressError``.
    package init(parsing text: String) throws {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw SocketAddressError.invalidHost
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else {
                throw SocketAddressError.missingPort
            }
            portText = rest.dropFirst()
            guard host.contains(":") else {
                // Brackets are only for IPv6 literals (RFC 3986 section 3.2.2).
                throw SocketAddressError.invalidHost
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw SocketAddressError.missingPort
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                throw SocketAddressError.unbracketedIPv6
            }
        }
        try self.init(ipAddress: String(host), port: try Self.parsePort(portText))
    }

    private static func parsePort(_ text: Substring) throws -> UInt16 {
        guard !text.isEmpty, text.count <= 5, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = UInt16(text)
        else {
            throw text.isEmpty ? SocketAddressError.missingPort : SocketAddressError.invalidPort
        }
        return value
    }
}

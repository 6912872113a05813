import SystemIO

/// The relay the alert mailer submits through (`MTASTS_SMTP_URL`): `smtp://[user[:password]@]host[:port]`.
///
/// `smtp` connects in plaintext and requires STARTTLS (default port 587, the submission port of RFC 6409);
/// `smtps` starts TLS at once (implicit TLS, RFC 8314 §3.3; default port 465). Either way the relay's certificate
/// must verify for the host name (or, for an IP literal, its iPAddress entry) before anything else is sent.
/// User name and password come from the userinfo, percent-decoded (RFC 3986 §2.1), so a password may contain
/// any character. ``description`` never shows the password.
///
/// ```swift
/// let relay = try SMTPRelayURL("smtp://alerts%40example.net:p%40ss@relay.example.net:587")
/// relay.host                    // "relay.example.net"
/// relay.credentials?.userName   // "alerts@example.net"
/// "\(relay)"                    // "smtp://alerts%40example.net:***@relay.example.net:587"
/// ```
package struct SMTPRelayURL: Sendable, Hashable, CustomStringConvertible {
    /// How TLS starts.
    package enum Scheme: String, Sendable, Hashable {
        /// Plaintext connection upgraded with STARTTLS, which must be offered.
        case smtp
        /// TLS from the first byte.
        case smtps

        /// 587 for `smtp`, 465 for `smtps`.
        package var defaultPort: UInt16 {
            switch self {
            case .smtp: 587
            case .smtps: 465
            }
        }
    }

    /// `smtp` or `smtps`.
    package let scheme: Scheme
    /// The host, lower-cased; an IPv6 literal without brackets.
    package let host: String
    /// The explicit port or the scheme's default.
    package let port: UInt16
    /// AUTH credentials from the userinfo; `nil` without userinfo.
    package let credentials: SMTPCredentials?
    /// Whether ``host`` is an IPv4 or IPv6 literal (no DNS lookup; the certificate must name the address).
    package let isIPLiteral: Bool

    /// Parses `text`.
    /// - Throws: ``SMTPClientError/Code/invalidURL`` naming what is wrong (never echoing the password).
    package init(_ text: String) throws(SMTPClientError) {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else {
            throw SMTPClientError(.invalidURL, "relay URL has no scheme")
        }
        guard let scheme = Scheme(rawValue: text[..<colon].lowercased()) else {
            throw SMTPClientError(.invalidURL, "relay URL scheme is not smtp or smtps")
        }
        var authority = text[colon...].dropFirst(3)
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) else {
            throw SMTPClientError(.invalidURL, "relay URL has a path, query or fragment")
        }
        var credentials: SMTPCredentials?
        // The last @ ends the userinfo: an unencoded @ in the password is tolerated.
        if let at = authority.lastIndex(of: "@") {
            credentials = try Self.credentials(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        let (host, portText) = try Self.splitHostAndPort(authority)
        var port = scheme.defaultPort
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.utf8.allSatisfy(SMTPSyntax.isDigit),
                let value = UInt16(portText), value > 0
            else {
                throw SMTPClientError(.invalidURL, "relay URL port is not a number in 1...65535")
            }
            port = value
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.credentials = credentials
        self.isIPLiteral = (try? SocketAddress(ipAddress: String(host), port: port)) != nil
        guard isIPLiteral || (try? SMTPCommand.validateEHLOArgument(self.host)) != nil else {
            throw SMTPClientError(.invalidURL, "relay URL host is neither a host name nor an IP address")
        }
    }

    /// `scheme://[user:***@]host:port`; safe to log.
    package var description: String {
        let user = credentials.map { Self.percentEncoded($0.userName) + ":***@" } ?? ""
        let name = host.contains(":") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(user)\(name):\(port)"
    }

    // MARK: - Parsing

    private static func credentials(_ userInfo: Substring) throws(SMTPClientError) -> SMTPCredentials {
        let colon = userInfo.firstIndex(of: ":")
        let user = try percentDecoded(userInfo[..<(colon ?? userInfo.endIndex)])
        let password = try colon.map { (colon) throws(SMTPClientError) in
            try percentDecoded(userInfo[userInfo.index(after: colon)...])
        }
        guard !user.isEmpty else { throw SMTPClientError(.invalidURL, "relay URL has a password but no user name") }
        return SMTPCredentials(userName: user, password: password ?? "")
    }

    private static func splitHostAndPort(
        _ authority: Substring
    ) throws(SMTPClientError) -> (host: Substring, port: Substring?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw SMTPClientError(.invalidURL, "relay URL IPv6 literal has no closing bracket")
            }
            let host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":"), host.contains(":") else {
                throw SMTPClientError(.invalidURL, "relay URL bracketed host is not an IPv6 literal")
            }
            return (host, after.isEmpty ? nil : after.dropFirst())
        }
        guard let colon = authority.firstIndex(of: ":") else { return (authority, nil) }
        return (authority[..<colon], authority[authority.index(after: colon)...])
    }

    /// Decodes `%XX` escapes; the result must be UTF-8.
    private static func percentDecoded(_ text: Substring) throws(SMTPClientError) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        while index < text.utf8.endIndex {
            let byte = text.utf8[index]
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                index = text.utf8.index(after: index)
                continue
            }
            let digits = text.utf8[text.utf8.index(after: index)...].prefix(2)
            guard digits.count == 2, digits.allSatisfy(SMTPSyntax.isHexDigit),
                let value = UInt8(String(decoding: digits, as: UTF8.self), radix: 16)
            else {
                throw SMTPClientError(.invalidURL, "relay URL userinfo has a malformed %-escape")
            }
            bytes.append(value)
            index = digits.endIndex
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw SMTPClientError(.invalidURL, "relay URL userinfo is not UTF-8 once decoded")
        }
        return decoded
    }

    /// The user name as userinfo would carry it: unreserved characters as they are, the rest `%XX`.
    private static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            if SMTPSyntax.isAlpha(byte) || SMTPSyntax.isDigit(byte) || Array("-._~".utf8).contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return encoded
    }
}

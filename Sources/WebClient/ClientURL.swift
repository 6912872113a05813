import HTTPCore

/// An absolute `http` or `https` URL, split into what a request needs (RFC 3986, RFC 9110 §4.2).
///
/// Only the forms a client sends are accepted: no userinfo (`user@`), ASCII only (percent-encode the rest),
/// IPv6 literals in brackets. The host is lower-cased; the fragment is dropped (it is never sent).
///
/// ```swift
/// let url = try ClientURL("https://[::1]:8443/dir?x=1")
/// url.host            // "::1"
/// url.port            // 8443
/// url.requestTarget   // "/dir?x=1"
/// url.hostHeader      // "[::1]:8443"
/// ```
package struct ClientURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL scheme.
    package enum Scheme: String, Sendable, Hashable {
        case http
        case https

        /// 80 or 443.
        package var defaultPort: UInt16 {
            switch self {
            case .http: 80
            case .https: 443
            }
        }
    }

    /// `http` or `https`.
    package let scheme: Scheme
    /// The host, lower-cased; an IPv6 literal without its brackets.
    package let host: String
    /// The explicit port, or the scheme's default.
    package let port: UInt16
    /// The path, never empty (`"/"` when the URL has none).
    package let path: String
    /// The query without its `?`, if present.
    package let query: String?
    /// Whether ``host`` is an IPv4 or IPv6 literal (no DNS lookup, no SNI).
    package let isIPLiteral: Bool

    /// Parses `text`.
    /// - Throws: ``HTTPClientError`` with code ``HTTPClientError/Code/invalidURL``.
    package init(_ text: String) throws {
        var rest = Substring(text)
        guard let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") else {
            throw HTTPClientError(.invalidURL, "URL has no scheme")
        }
        guard let scheme = Scheme(rawValue: rest[..<colon].lowercased()) else {
            throw HTTPClientError(.invalidURL, "URL scheme is not http or https")
        }
        rest = rest[colon...].dropFirst(3)
        if let hash = rest.firstIndex(of: "#") {
            rest = rest[..<hash]
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let (host, isIPLiteral, port) = try Self.parseAuthority(rest[..<authorityEnd], scheme: scheme)
        var target = rest[authorityEnd...]
        // RFC 3986 §3.3/§3.4 without the characters a request line cannot carry; anything else must be
        // percent-encoded by the caller.
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTPClientError(.invalidURL, "URL path or query has a space, control or non-ASCII byte")
        }
        var query: String?
        if let questionMark = target.firstIndex(of: "?") {
            query = String(target[target.index(after: questionMark)...])
            target = target[..<questionMark]
        }
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = target.isEmpty ? "/" : String(target)
        self.query = query
        self.isIPLiteral = isIPLiteral
    }

    /// `path` plus `?query`: the origin-form request-target (RFC 9112 §3.2.1).
    package var requestTarget: String {
        query.map { "\(path)?\($0)" } ?? path
    }

    /// The Host field value: the host (bracketed when IPv6) and the port unless it is the default.
    package var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == scheme.defaultPort ? name : "\(name):\(port)"
    }

    /// `scheme://host[:port]`: safe to log (no path or query, which may carry tokens).
    package var origin: String {
        "\(scheme.rawValue)://\(hostHeader)"
    }

    /// The whole URL (without fragment).
    package var description: String {
        origin + requestTarget
    }

    // MARK: - Authority

    private static func parseAuthority(
        _ authority: Substring,
        scheme: Scheme
    ) throws -> (host: String, isIPLiteral: Bool, port: UInt16) {
        guard !authority.contains("@") else {
            throw HTTPClientError(.invalidURL, "URL has userinfo")
        }
        let host: Substring
        let portText: Substring?
        let isBracketed = authority.hasPrefix("[")
        if isBracketed {
            guard let close = authority.firstIndex(of: "]") else {
                throw HTTPClientError(.invalidURL, "URL IPv6 literal has no closing bracket")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else {
                throw HTTPClientError(.invalidURL, "URL has text after the IPv6 literal")
            }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portText = nil
        }
        guard !host.isEmpty, host.utf8.count <= 253 else {
            throw HTTPClientError(.invalidURL, "URL host is empty or too long")
        }
        let isIPv4 = !isBracketed && isIPv4Literal(host)
        if isBracketed {
            guard host.utf8.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }),
                host.contains(":")
            else {
                throw HTTPClientError(.invalidURL, "URL bracketed host is not an IPv6 literal")
            }
        } else {
            // reg-name restricted to what DNS names and IPv4 literals use (LDH, dot, underscore).
            guard host.utf8.allSatisfy(isNameByte) else {
                throw HTTPClientError(.invalidURL, "URL host has a character outside letters, digits, - . _")
            }
        }
        var port = scheme.defaultPort
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.utf8.allSatisfy(HTTPSyntax.isDigit),
                let value = UInt16(portText), value > 0
            else {
                throw HTTPClientError(.invalidURL, "URL port is not a number in 1...65535")
            }
            port = value
        }
        return (host.lowercased(), isBracketed || isIPv4, port)
    }

    private static func isIPv4Literal(_ host: Substring) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.utf8.allSatisfy(HTTPSyntax.isDigit)
                    && (UInt16(part) ?? 256) <= 255
            }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        HTTPSyntax.isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        HTTPSyntax.isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }
}

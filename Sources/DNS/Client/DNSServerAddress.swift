/// A resolver's IP address and port.
///
/// ```swift
/// try DNSServerAddress("192.0.2.53")        // port 53
/// try DNSServerAddress("127.0.0.1:5353")
/// try DNSServerAddress("[::1]:53")
/// try DNSServerAddress("2001:db8::1")       // bare IPv6, port 53
/// ```
package struct DNSServerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The server's address.
    package var host: IPAddress
    /// The server's UDP and TCP port.
    package var port: UInt16

    /// Creates an address.
    package init(host: IPAddress, port: UInt16 = 53) {
        self.host = host
        self.port = port
    }

    /// Parses `a.b.c.d`, `a.b.c.d:port`, an IPv6 literal, or `[IPv6]:port`.
    /// - Throws: ``DNSError`` with code `invalidAddress` for anything else, including port 0.
    package init(_ text: String, defaultPort: UInt16 = 53) throws(DNSError) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                let v6 = IPv6Address(String(text[text.index(after: text.startIndex)..<close]))
            else {
                throw DNSError(.invalidAddress, "\"\(text)\" is not a bracketed IPv6 address")
            }
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                self.init(host: .v6(v6), port: defaultPort)
            } else if rest.hasPrefix(":") {
                self.init(host: .v6(v6), port: try Self.port(rest.dropFirst(), in: text))
            } else {
                throw DNSError(.invalidAddress, "unexpected text after \"]\" in \"\(text)\"")
            }
        } else if let v4 = IPv4Address(text) {
            self.init(host: .v4(v4), port: defaultPort)
        } else if let v6 = IPv6Address(text) {
            self.init(host: .v6(v6), port: defaultPort)
        } else if let colon = text.lastIndex(of: ":"), let v4 = IPv4Address(String(text[..<colon])) {
            self.init(host: .v4(v4), port: try Self.port(text[text.index(after: colon)...], in: text))
        } else {
            throw DNSError(.invalidAddress, "\"\(text)\" is not an IP address with an optional port")
        }
    }

    private static func port(_ digits: Substring, in text: String) throws(DNSError) -> UInt16 {
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let port = UInt16(digits), port != 0
        else {
            throw DNSError(.invalidAddress, "bad port in \"\(text)\"")
        }
        return port
    }

    /// `a.b.c.d:port` or `[IPv6]:port`.
    package var description: String {
        switch host {
        case .v4(let address): "\(address):\(port)"
        case .v6(let address): "[\(address)]:\(port)"
        }
    }
}

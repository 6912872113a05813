// MARK: - Parsing Forwarded and X-Forwarded-For

extension ForwardedNode {
    /// The `for=` nodes of `Forwarded` field lines, in order (RFC 7239 §4), or nil when a line breaks the syntax.
    ///
    /// Each line is a comma-separated list of forwarded-elements, each a `;`-separated list of `token=value`
    /// pairs whose value is a token or a quoted string. An element without `for=` yields ``unidentified``; empty
    /// list elements are skipped (RFC 9110 §5.6.1). A parameter given twice in one element (RFC 7239 §4) or a
    /// `for=` value that is not a node (§6) makes the whole header unusable: quoting hides commas, so no part of
    /// a broken line can be trusted.
    package static func chain(forwarded values: [String]) -> [ForwardedNode]? {
        var chain: [ForwardedNode] = []
        for value in values {
            var scanner = ForwardedScanner(bytes: Array(value.utf8))
            guard scanner.elements(into: &chain) else { return nil }
        }
        return chain
    }

    /// The entries of `X-Forwarded-For` field lines, in order.
    ///
    /// The header has no specification; proxies append the address they saw to a comma-separated list. Entries
    /// are IPv4 or IPv6 addresses, optionally with a port (`192.0.2.1:4711`, `[2001:db8::1]:4711`); anything else,
    /// `unknown` included, is ``unidentified``, so that a walk from the right stops there rather than skipping it.
    package static func chain(xForwardedFor values: [String]) -> [ForwardedNode] {
        var chain: [ForwardedNode] = []
        for value in values {
            for entry in Array(value.utf8).split(separator: .comma, omittingEmptySubsequences: false) {
                let trimmed = HTTPSyntax.trimmingWhitespace(entry)
                guard !trimmed.isEmpty else { continue }
                chain.append(hostAndPort(trimmed).map(ForwardedNode.address) ?? .unidentified)
            }
        }
        return chain
    }

    /// A `node` of RFC 7239 §6 (`nodename [ ":" node-port ]`); nil when `bytes` is not one.
    static func node(_ bytes: ArraySlice<UInt8>) -> ForwardedNode? {
        var name = bytes
        if let colon = lastColonOutsideBrackets(bytes) {
            guard isPort(bytes[(colon + 1)...]) else { return nil }
            name = bytes[..<colon]
        }
        if HTTPSyntax.equalsCaseInsensitive(name, lowercase: "unknown") { return .unidentified }
        if name.first == UInt8(ascii: "_") {
            return isObfuscated(name) ? .unidentified : nil
        }
        if name.first == UInt8(ascii: "[") {
            guard name.last == UInt8(ascii: "]"), let (high, low) = ClientAddress.parseIPv6(name.dropFirst().dropLast())
            else { return nil }
            return .address(ClientAddress(high: high, low: low))
        }
        return ClientAddress.parseIPv4(name).map { .address(ClientAddress(ipv4: $0)) }
    }

    /// An address with an optional port: `192.0.2.1`, `192.0.2.1:80`, `[2001:db8::1]`, `[2001:db8::1]:80`, or a
    /// bare IPv6 literal.
    private static func hostAndPort(_ bytes: ArraySlice<UInt8>) -> ClientAddress? {
        if let (high, low) = ClientAddress.parseIPv6(bytes) {
            return ClientAddress(high: high, low: low)
        }
        guard case .address(let address)? = node(bytes) else { return nil }
        return address
    }

    /// The colon before a port: the last one, unless it lies inside `[…]`.
    private static func lastColonOutsideBrackets(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")) else { return nil }
        if let close = bytes.lastIndex(of: UInt8(ascii: "]")), close > colon { return nil }
        return colon
    }

    /// `port = 1*5DIGIT` or `obfport = "_" 1*(ALPHA / DIGIT / "." / "_" / "-")` (RFC 7239 §6.3).
    private static func isPort(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.first == UInt8(ascii: "_") { return isObfuscated(bytes) }
        return !bytes.isEmpty && bytes.count <= 5 && bytes.allSatisfy(HTTPSyntax.isDigit)
    }

    /// `"_" 1*(ALPHA / DIGIT / "." / "_" / "-")` (RFC 7239 §6.3).
    private static func isObfuscated(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "_") else { return false }
        return bytes.dropFirst().allSatisfy { byte in
            HTTPSyntax.isDigit(byte)
                || (HTTPSyntax.lowercased(byte) >= UInt8(ascii: "a")
                    && HTTPSyntax.lowercased(byte) <= UInt8(ascii: "z"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}

/// Walks one `Forwarded` field value (RFC 7239 §4) byte by byte.
private struct ForwardedScanner {
    let bytes: [UInt8]
    var index = 0

    /// Appends one node per non-empty forwarded-element; false on a syntax error.
    mutating func elements(into chain: inout [ForwardedNode]) -> Bool {
        while true {
            skipWhitespace()
            var node = ForwardedNode.unidentified
            var names: [[UInt8]] = []
            // forwarded-element = [ forwarded-pair ] *( ";" [ forwarded-pair ] )
            while true {
                skipWhitespace()
                if index < bytes.count, HTTPSyntax.isTokenCharacter(bytes[index]) {
                    guard let (name, value) = pair(), !names.contains(name) else { return false }
                    names.append(name)
                    if name == Array("for".utf8) {
                        guard let parsed = ForwardedNode.node(value[...]) else { return false }
                        node = parsed
                    }
                    skipWhitespace()
                }
                guard index < bytes.count, bytes[index] == UInt8(ascii: ";") else { break }
                index += 1
            }
            if !names.isEmpty { chain.append(node) }
            guard index < bytes.count else { return true }
            guard bytes[index] == .comma else { return false }
            index += 1
        }
    }

    /// `forwarded-pair = token "=" value`, with the name lower-cased and a quoted value unescaped.
    private mutating func pair() -> (name: [UInt8], value: [UInt8])? {
        let name = token().map(HTTPSyntax.lowercased)
        guard !name.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
        index += 1
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") {
            return quotedString().map { (name, $0) }
        }
        let value = token()
        return value.isEmpty ? nil : (name, value)
    }

    private mutating func token() -> [UInt8] {
        let start = index
        while index < bytes.count, HTTPSyntax.isTokenCharacter(bytes[index]) { index += 1 }
        return Array(bytes[start..<index])
    }

    /// `quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE` (RFC 9110 §5.6.4), unescaped.
    private mutating func quotedString() -> [UInt8]? {
        index += 1
        var value: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return value
            case UInt8(ascii: "\\"):
                guard index < bytes.count, HTTPSyntax.isFieldValueByte(bytes[index]) else { return nil }
                value.append(bytes[index])
                index += 1
            default:
                guard HTTPSyntax.isFieldValueByte(byte) else { return nil }
                value.append(byte)
            }
        }
        return nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, HTTPSyntax.isWhitespace(bytes[index]) { index += 1 }
    }
}

/// A `host:port` to listen on or connect to; IPv6 hosts are written in brackets (`[::1]:8443`).
package struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    package let host: String
    package let port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `127.0.0.1:8080`, `[::1]:443`, `0.0.0.0:80` or `localhost:8080`; port 0 means "any free port".
    package init?(parsing text: String, defaultPort: Int? = nil) {
        var hostPart: Substring
        var portPart: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                portPart = nil
            } else {
                guard rest.hasPrefix(":") else { return nil }
                portPart = rest.dropFirst()
            }
            guard hostPart.contains(":") else { return nil }
        } else {
            let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { return nil }
            hostPart = pieces[0]
            portPart = pieces.count == 2 ? pieces[1] : nil
        }
        guard !hostPart.isEmpty,
            hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:_".contains($0)) })
        else { return nil }
        let port: Int
        if let portPart {
            guard let parsed = Int(portPart), (0...65535).contains(parsed), portPart.allSatisfy(\.isNumber) else {
                return nil
            }
            port = parsed
        } else if let defaultPort {
            port = defaultPort
        } else {
            return nil
        }
        self.init(host: String(hostPart), port: port)
    }

    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

import SystemIO

// MARK: - /etc/resolv.conf

extension DNSClient {
    /// The `nameserver` entries of a resolv.conf file, in order; empty when it cannot be read.
    package static func systemResolvers(resolvConf path: String = "/etc/resolv.conf") -> [DNSServerAddress] {
        guard let bytes = try? FileDescriptor.openForReading(path).readToEnd(maximumCount: 1 << 20) else {
            return []
        }
        return parseResolvConf(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses `nameserver <address>` lines (resolv.conf(5)); comments, other options and addresses with a
    /// zone index (`fe80::1%eth0`) are skipped.
    package static func parseResolvConf(_ text: String) -> [DNSServerAddress] {
        text.split(whereSeparator: \.isNewline).compactMap { line -> DNSServerAddress? in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { return nil }
            return try? DNSServerAddress(String(fields[1]))
        }
    }
}

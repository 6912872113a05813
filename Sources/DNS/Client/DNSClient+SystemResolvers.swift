import Glibc

// MARK: - /etc/resolv.conf

extension DNSClient {
    /// The `nameserver` entries of a resolv.conf file, in order; empty when it cannot be read.
    package static func systemResolvers(resolvConf path: String = "/etc/resolv.conf") -> [DNSServerAddress] {
        guard let bytes = readFile(path) else { return [] }
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

    /// Reads a whole small file; nil when it cannot be opened or read.
    private static func readFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return result }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            result.append(contentsOf: buffer[0..<count])
            guard result.count <= 1 << 20 else { return nil }
        }
    }
}

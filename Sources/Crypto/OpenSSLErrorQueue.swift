internal import COpenSSL

/// OpenSSL's thread-local error queue (STYLE.md rule 4): clear it before a call, drain it into the error after.
enum OpenSSLErrorQueue {
    /// At most this many entries are kept in one error; the rest are discarded.
    static let maximumEntries = 16

    /// Discards stale entries so that a later failure reports only its own causes.
    static func clear() {
        ERR_clear_error()
    }

    /// Removes every entry from the queue and returns the first ``maximumEntries`` as OpenSSL strings.
    static func drain() -> [String] {
        var entries: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 {
                break
            }
            guard entries.count < maximumEntries else {
                continue
            }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            entries.append(String(decoding: bytes, as: UTF8.self))
        }
        return entries
    }
}

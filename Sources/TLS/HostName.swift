/// The one normalisation of host names compared as keys: SNI (RFC 6066 §3), `Host` headers and the hosts of
/// the edge's snapshot.
package enum HostName {
    /// Lower-cases ASCII letters (host names compare case-insensitively) and drops one trailing dot (the
    /// absolute form names the same host).
    package static func normalized(_ name: String) -> String {
        // The common case (already normal) allocates nothing: it runs per request on the edge, so it scans the
        // contiguous UTF-8 rather than iterating the UTF8View.
        var name = name
        let isNormal = name.withUTF8 { utf8 in
            !utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) && utf8.last != UInt8(ascii: ".")
        }
        if isNormal { return name }
        var bytes = name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

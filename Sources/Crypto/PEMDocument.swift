import Glibc

/// PEM text (RFC 7468): `-----BEGIN <label>-----`, base64 in 64-column lines, `-----END <label>-----`.
package enum PEMDocument {
    /// Returns the PEM text for `der` under `label` (e.g. `CERTIFICATE`), ending with a newline.
    static func encode(label: String, der: [UInt8]) -> String {
        let body = Array(Base64.encode(der).utf8)
        var text = "-----BEGIN \(label)-----\n"
        var start = 0
        while start < body.count {
            let end = min(start + 64, body.count)
            text += String(decoding: body[start..<end], as: UTF8.self) + "\n"
            start = end
        }
        return text + "-----END \(label)-----\n"
    }

    /// The DER of every `label` block in `text`, in order, without parsing the DER (stored chains are split and
    /// kept as bytes). Text between blocks is ignored, as OpenSSL does; nil when there is no block, a block is not
    /// closed, or its body is not base64. Scans the UTF-8 directly: a bulk load splits a million chains.
    package static func decodeAll(label: String, from text: String) -> [[UInt8]]? {
        let begin = Array("-----BEGIN \(label)-----".utf8)
        let end = Array("-----END \(label)-----".utf8)
        var text = text
        return text.withUTF8 { bytes -> [[UInt8]]? in
            var blocks: [[UInt8]] = []
            var position = 0
            while let start = firstIndex(of: begin, in: bytes, from: position) {
                let body = start + begin.count
                guard let stop = firstIndex(of: end, in: bytes, from: body),
                    let der = Base64Codec.standard.decode(
                        utf8: UnsafeBufferPointer(rebasing: bytes[body..<stop]),
                        padding: .optional,
                        ignoringWhitespace: true
                    ),
                    !der.isEmpty
                else { return nil }
                blocks.append(der)
                position = stop + end.count
            }
            return blocks.isEmpty ? nil : blocks
        }
    }

    /// Where `needle` first occurs in `haystack` at or after `start`.
    private static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int?
    {
        guard let base = haystack.baseAddress, let first = needle.first, haystack.count - start >= needle.count else {
            return nil
        }
        return needle.withUnsafeBytes { marker -> Int? in
            guard let markerBase = marker.baseAddress else { return nil }
            var index = start
            while index <= haystack.count - needle.count {
                if haystack[index] == first, memcmp(base + index, markerBase, needle.count) == 0 { return index }
                index += 1
            }
            return nil
        }
    }
}

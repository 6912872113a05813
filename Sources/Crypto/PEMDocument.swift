import Foundation

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
    /// closed, or its body is not base64.
    package static func decodeAll(label: String, from text: String) -> [[UInt8]]? {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        var blocks: [[UInt8]] = []
        var rest = text[...]
        while let start = rest.range(of: begin) {
            guard let stop = rest[start.upperBound...].range(of: end),
                let der = Base64.decode(rest[start.upperBound..<stop.lowerBound], ignoringWhitespace: true),
                !der.isEmpty
            else { return nil }
            blocks.append(der)
            rest = rest[stop.upperBound...]
        }
        return blocks.isEmpty ? nil : blocks
    }
}

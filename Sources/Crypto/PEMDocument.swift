/// Writes DER as PEM text (RFC 7468): `-----BEGIN <label>-----`, base64 in 64-column lines, `-----END <label>-----`.
enum PEMDocument {
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
}

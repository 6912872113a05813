import Foundation
import MIME
import Testing

/// The files in `Tests/MIMETests/Fixtures/`, written by `make-fixtures.py`.
enum Fixtures {
    /// Every message fixture, for the tests that run over all of them.
    static let messages = [
        "google-tlsrpt.eml", "microsoft-tlsrpt.eml", "quoted-printable-json.eml", "zip-in-mixed.eml",
        "forwarded-rfc822.eml", "lf-only.eml", "rfc2231-folded.eml", "python-email.eml",
    ]

    /// The bytes of a fixture file.
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        return Array(try Data(contentsOf: url))
    }

    /// A fixture message parsed with the report limits.
    static func message(_ name: String) throws -> MIMEEntity {
        try MIMEParser.parse(try bytes(name), limits: .reports)
    }
}

/// Builds test messages with CRLF line endings from lines.
func crlf(_ lines: String...) -> [UInt8] {
    Array(lines.joined(separator: "\r\n").utf8)
}

import Foundation

// MARK: - Loading from disk (the module's only file access)

extension CertificateKeyPair {
    /// Reads a PEM chain file (leaf first) and a PEM key file.
    /// - Throws: Foundation's read error, or ``TLSError`` from parsing.
    package init(chainFile: String, privateKeyFile: String) throws {
        try self.init(
            chainPEM: String(contentsOfFile: chainFile, encoding: .utf8),
            privateKeyPEM: String(contentsOfFile: privateKeyFile, encoding: .utf8)
        )
    }
}

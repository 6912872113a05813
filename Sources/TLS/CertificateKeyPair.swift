internal import COpenSSL

/// A certificate chain (leaf first) with the leaf's private key, ready to install in a ``TLSContext``.
///
/// ```swift
/// let pair = try CertificateKeyPair(chainPEM: chain, privateKeyPEM: key)
/// let host = try TLSContext.makeServer(certificate: pair)
/// ```
package struct CertificateKeyPair: Sendable {
    /// The chain, leaf first, then intermediates (the root is normally omitted).
    package let chain: [TLSCertificate]
    /// The leaf's private key.
    package let privateKey: TLSPrivateKey

    /// Parses a PEM chain and key and checks that the key belongs to the leaf.
    /// - Throws: ``TLSError/invalidCertificate`` or ``TLSError/invalidPrivateKey`` (also for a mismatch).
    package init(chainPEM: String, privateKeyPEM: String) throws {
        try self.init(chain: TLSCertificate.parseChain(pem: chainPEM), privateKeyPEM: privateKeyPEM)
    }

    /// Parses a DER chain (leaf first) and a PEM key and checks that the key belongs to the leaf.
    /// - Throws: ``TLSError/invalidCertificate`` (also for an empty chain) or ``TLSError/invalidPrivateKey``.
    package init(chainDER: [[UInt8]], privateKeyPEM: String) throws {
        guard !chainDER.isEmpty else { throw TLSError.invalidCertificate.draining(message: "empty chain") }
        try self.init(chain: chainDER.map(TLSCertificate.init(der:)), privateKeyPEM: privateKeyPEM)
    }

    private init(chain: [TLSCertificate], privateKeyPEM: String) throws {
        let privateKey = try TLSPrivateKey(pem: privateKeyPEM)
        ERR_clear_error()
        guard X509_check_private_key(chain[0].x509, privateKey.key) == 1 else {
            throw TLSError.invalidPrivateKey.draining(message: "private key does not match the leaf certificate")
        }
        self.chain = chain
        self.privateKey = privateKey
    }

    /// The leaf certificate.
    package var leaf: TLSCertificate {
        chain[0]  // Both initialisers refuse an empty chain.
    }
}

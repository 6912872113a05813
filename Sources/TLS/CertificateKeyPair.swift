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
        let chain = try TLSCertificate.parseChain(pem: chainPEM)
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
        chain[0]  // parseChain never returns an empty array.
    }
}

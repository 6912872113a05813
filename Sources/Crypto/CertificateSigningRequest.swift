internal import COpenSSL

/// Builds PKCS#10 certificate signing requests (RFC 2986) for ACME finalize (RFC 8555 §7.4).
///
/// ```swift
/// let csr = try CertificateSigningRequest.make(dnsNames: ["mta-sts.example.com"], key: certificateKey)
/// let field = Base64URL.encode(csr)   // {"csr": field}
/// ```
package enum CertificateSigningRequest {
    /// Returns a DER CSR for `dnsNames`, signed with `key` (ECDSA with SHA-256).
    ///
    /// The request carries a subjectAltName extension with every name in order. The subject is `CN=<commonName>`
    /// when given, otherwise `CN=<first name>` when that fits the 64-character limit, otherwise empty.
    ///
    /// - Throws: ``CryptoError/Code/invalidInput`` for an empty list or a name that is not an LDH DNS name.
    package static func make(dnsNames: [String], key: P256PrivateKey, commonName: String? = nil) throws -> [UInt8] {
        guard let first = dnsNames.first else {
            throw CryptoError(.invalidInput, "a CSR needs at least one DNS name")
        }
        let subjectAltName = try X509Extensions.makeSubjectAltName(dnsNames: dnsNames)
        defer { X509_EXTENSION_free(subjectAltName) }
        let subjectCommonName = commonName ?? (first.utf8.count <= 64 ? first : nil)
        let name = try X509Extensions.makeName(commonName: subjectCommonName)
        defer { X509_NAME_free(name) }

        OpenSSLErrorQueue.clear()
        guard let request = X509_REQ_new() else {
            throw CryptoError.openSSL("X509_REQ_new failed")
        }
        defer { X509_REQ_free(request) }
        guard let extensions = OPENSSL_sk_new_null() else {
            throw CryptoError.openSSL("cannot allocate extension stack")
        }
        // The stack only borrows `subjectAltName`; the extension is freed by its own defer above.
        defer { OPENSSL_sk_free(extensions) }
        guard OPENSSL_sk_push(extensions, UnsafeRawPointer(subjectAltName)) > 0,
            X509_REQ_set_version(request, 0) == 1,
            X509_REQ_set_subject_name(request, name) == 1,
            X509_REQ_set_pubkey(request, key.pointer) == 1,
            X509_REQ_add_extensions(request, extensions) == 1
        else {
            throw CryptoError.openSSL("cannot fill certificate signing request")
        }
        guard X509_REQ_sign(request, key.pointer, EVP_sha256()) > 0 else {
            throw CryptoError.openSSL("cannot sign certificate signing request")
        }
        return try DEREncoding.encode("CSR") { i2d_X509_REQ(request, $0) }
    }

    /// PEM form (`-----BEGIN CERTIFICATE REQUEST-----`) of a DER CSR.
    package static func pem(fromDER der: [UInt8]) -> String {
        PEMDocument.encode(label: "CERTIFICATE REQUEST", der: der)
    }
}

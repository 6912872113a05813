internal import COpenSSL

/// Issues X.509 v3 certificates: self-signed CAs and leaves signed by a CA, for tests, benchmarks and development
/// (throwaway CAs, a certificate per test host). Production certificates come from ACME.
///
/// Everything uses P-256 and ECDSA-with-SHA-256, so issuing a leaf costs one key generation and one signature.
///
/// ```swift
/// let now = Int64(Date().timeIntervalSince1970)
/// let ca = try CertificateBuilder.makeAuthority(commonName: "Test CA", now: now)
/// let leaf = try CertificateBuilder.makeLeaf(dnsNames: ["mta-sts.example.test"], issuer: ca, now: now)
/// ```
package struct CertificateBuilder: Sendable {
    /// A certificate together with its private key.
    package struct Issued: Sendable {
        /// The certificate.
        package let certificate: X509Certificate
        /// Its private key.
        package let key: P256PrivateKey

        /// Pairs a certificate with its key (an intermediate built with ``issued(for:by:)``).
        package init(certificate: X509Certificate, key: P256PrivateKey) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// Subject `CN`; `nil` leaves the subject empty (allowed when SANs are present).
    package var commonName: String?
    /// DNS names for the subjectAltName extension (LDH, optional leading `*.`); empty means no extension.
    package var dnsNames: [String]
    /// IPv4/IPv6 literals added to subjectAltName as iPAddress entries (e.g. `127.0.0.1` for loopback tests).
    package var ipAddresses: [String] = []
    /// Start of validity, Unix seconds.
    package var notBefore: Int64
    /// End of validity, Unix seconds.
    package var notAfter: Int64
    /// Serial number as a big-endian unsigned magnitude; `nil` picks 16 random bytes (positive, non-zero).
    package var serialNumber: [UInt8]?
    /// Whether to mark the certificate as a CA (basicConstraints CA:TRUE, keyCertSign).
    package var isCertificateAuthority: Bool
    /// Explicit subjectKeyIdentifier; `nil` uses the SHA-1 of the public key (RFC 5280 §4.2.1.2 method 1).
    package var subjectKeyIdentifier: [UInt8]?

    /// Creates a builder; set more properties before calling ``selfSigned(key:)`` or ``issued(for:by:)``.
    package init(
        commonName: String? = nil,
        dnsNames: [String] = [],
        notBefore: Int64,
        notAfter: Int64,
        isCertificateAuthority: Bool = false
    ) {
        self.commonName = commonName
        self.dnsNames = dnsNames
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.isCertificateAuthority = isCertificateAuthority
    }

    /// Returns a certificate for `key`, signed by `key` itself (issuer = subject).
    package func selfSigned(key: P256PrivateKey) throws -> X509Certificate {
        try build(subjectKey: key.publicKey, issuer: nil, issuerKey: key)
    }

    /// Returns a certificate for `subjectKey`, signed by `issuer` (its name and key identifier become the issuer
    /// name and authorityKeyIdentifier).
    ///
    /// - Throws: ``CryptoError/Code/invalidKey`` when `issuer.key` does not match `issuer.certificate`.
    package func issued(for subjectKey: P256PublicKey, by issuer: Issued) throws -> X509Certificate {
        guard issuer.certificate.matchesPrivateKey(issuer.key) else {
            throw CryptoError(.invalidKey, "issuer key does not match issuer certificate")
        }
        return try build(subjectKey: subjectKey, issuer: issuer.certificate, issuerKey: issuer.key)
    }

    // MARK: - Conveniences

    /// A new self-signed CA with a fresh key, valid from an hour before `now` for `lifetime` seconds (10 years).
    package static func makeAuthority(
        commonName: String,
        now: Int64,
        lifetime: Int64 = 10 * 365 * 86_400,
        subjectKeyIdentifier: [UInt8]? = nil
    ) throws -> Issued {
        let key = try P256PrivateKey.generate()
        var builder = CertificateBuilder(
            commonName: commonName,
            notBefore: now - 3_600,
            notAfter: now + lifetime,
            isCertificateAuthority: true
        )
        builder.subjectKeyIdentifier = subjectKeyIdentifier
        return Issued(certificate: try builder.selfSigned(key: key), key: key)
    }

    /// A new leaf for `dnsNames` (and `ipAddresses`) with a fresh key, signed by `issuer`, valid from an hour
    /// before `now` for `lifetime` seconds (90 days). `CN` is the first name when it fits in 64 characters.
    package static func makeLeaf(
        dnsNames: [String],
        ipAddresses: [String] = [],
        issuer: Issued,
        now: Int64,
        lifetime: Int64 = 90 * 86_400,
        serialNumber: [UInt8]? = nil
    ) throws -> Issued {
        let key = try P256PrivateKey.generate()
        var builder = CertificateBuilder(
            commonName: dnsNames.first.flatMap { $0.utf8.count <= 64 ? $0 : nil },
            dnsNames: dnsNames,
            notBefore: now - 3_600,
            notAfter: now + lifetime
        )
        builder.serialNumber = serialNumber
        builder.ipAddresses = ipAddresses
        return Issued(certificate: try builder.issued(for: key.publicKey, by: issuer), key: key)
    }

    // MARK: - Building

    private func build(
        subjectKey: P256PublicKey,
        issuer: X509Certificate?,
        issuerKey: P256PrivateKey
    ) throws -> X509Certificate {
        guard notBefore <= notAfter else {
            throw CryptoError(.invalidInput, "notBefore is after notAfter")
        }
        let subjectName = try X509Extensions.makeName(commonName: commonName)
        defer { X509_NAME_free(subjectName) }
        OpenSSLErrorQueue.clear()
        guard let certificate = X509_new() else {
            throw CryptoError.openSSL("X509_new failed")
        }
        do {
            try fill(certificate, subjectName: subjectName, subjectKey: subjectKey, issuer: issuer)
            guard X509_sign(certificate, issuerKey.pointer, EVP_sha256()) > 0 else {
                throw CryptoError.openSSL("X509_sign failed")
            }
        } catch {
            X509_free(certificate)
            throw error
        }
        return try X509Certificate(taking: certificate)
    }

    private func fill(
        _ certificate: OpaquePointer,
        subjectName: OpaquePointer,
        subjectKey: P256PublicKey,
        issuer: X509Certificate?
    ) throws {
        let serial = try serialNumber ?? Self.randomSerial()
        guard !serial.isEmpty, serial.count <= 20 else {
            throw CryptoError(.invalidInput, "serial number must be 1 to 20 bytes")
        }
        guard let serialNumber = BN_bin2bn(serial, Int32(serial.count), nil) else {
            throw CryptoError.openSSL("BN_bin2bn failed")
        }
        defer { BN_free(serialNumber) }
        guard X509_set_version(certificate, 2) == 1,
            BN_to_ASN1_INTEGER(serialNumber, X509_get_serialNumber(certificate)) != nil,
            X509_set_subject_name(certificate, subjectName) == 1,
            X509_set_issuer_name(certificate, issuer.map { X509_get_subject_name($0.pointer) } ?? subjectName) == 1,
            ASN1_TIME_set(X509_getm_notBefore(certificate), time_t(notBefore)) != nil,
            ASN1_TIME_set(X509_getm_notAfter(certificate), time_t(notAfter)) != nil,
            X509_set_pubkey(certificate, subjectKey.pointer) == 1
        else {
            throw CryptoError.openSSL("cannot fill certificate fields")
        }
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer?.pointer ?? certificate, certificate, nil, nil, 0)
        func add(_ nid: Int32, _ value: String) throws {
            guard let item = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw CryptoError.openSSL("cannot build extension \(value)")
            }
            defer { X509_EXTENSION_free(item) }
            guard X509_add_ext(certificate, item, -1) == 1 else {
                throw CryptoError.openSSL("cannot add extension \(value)")
            }
        }
        if isCertificateAuthority {
            try add(NID_basic_constraints, "critical,CA:TRUE")
            try add(NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature")
        } else {
            try add(NID_basic_constraints, "critical,CA:FALSE")
            try add(NID_key_usage, "critical,digitalSignature")
            try add(NID_ext_key_usage, "serverAuth")
        }
        let keyIdentifier = subjectKeyIdentifier.map { $0.map { Hex.encode([$0]) }.joined(separator: ":") }
        try add(NID_subject_key_identifier, keyIdentifier ?? "hash")
        if issuer != nil {
            // Copies the issuer's subjectKeyIdentifier (RFC 5280 §4.2.1.1); self-signed roots may omit it.
            try add(NID_authority_key_identifier, "keyid:always")
        }
        if !dnsNames.isEmpty || !ipAddresses.isEmpty {
            let subjectAltName = try X509Extensions.makeSubjectAltName(dnsNames: dnsNames, ipAddresses: ipAddresses)
            defer { X509_EXTENSION_free(subjectAltName) }
            guard X509_add_ext(certificate, subjectAltName, -1) == 1 else {
                throw CryptoError.openSSL("cannot add subjectAltName")
            }
        }
    }

    private static func randomSerial() throws -> [UInt8] {
        var serial = try SecureRandom.bytes(count: 16)
        // Positive (high bit clear) and exactly 16 significant bytes (RFC 5280 §4.1.2.2: at most 20 octets).
        serial[0] = (serial[0] & 0x7f) | 0x40
        return serial
    }
}

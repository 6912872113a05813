internal import COpenSSL

/// One X.509 certificate (owns an `X509*`).
///
/// `@unchecked Sendable`: the certificate is never mutated after parsing, and OpenSSL's reference counting of
/// `X509` is thread-safe.
package final class TLSCertificate: @unchecked Sendable {
    /// The kind of public key in a certificate.
    package enum PublicKeyAlgorithm: Sendable, Equatable {
        case ecdsa
        case rsa
        case other(Int32)
    }

    let x509: OpaquePointer

    /// Takes ownership of one reference to `x509`.
    init(taking x509: OpaquePointer) {
        self.x509 = x509
    }

    deinit {
        X509_free(x509)
    }

    /// Parses every certificate in a PEM string, in order.
    /// - Throws: ``TLSError/invalidCertificate`` when the text holds no certificate or a damaged one.
    package static func parseChain(pem: String) throws -> [TLSCertificate] {
        ERR_clear_error()
        let bytes = Array(pem.utf8)
        let certificates = bytes.withUnsafeBytes { buffer -> [TLSCertificate] in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return [] }
            defer { BIO_free(bio) }
            var result: [TLSCertificate] = []
            while let x509 = PEM_read_bio_X509(bio, nil, nil, nil) {
                result.append(TLSCertificate(taking: x509))
            }
            return result
        }
        // Reading to the end leaves PEM "no start line" in the queue; anything else means a damaged block.
        let last = ERR_peek_last_error()
        let reachedEnd = last == 0 || (ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE)
        guard !certificates.isEmpty, reachedEnd else {
            throw TLSError.invalidCertificate.draining(message: "PEM_read_bio_X509")
        }
        ERR_clear_error()
        return certificates
    }

    /// Parses one DER certificate; the bytes must hold exactly one.
    /// - Throws: ``TLSError/invalidCertificate`` when they do not.
    package convenience init(der: [UInt8]) throws {
        ERR_clear_error()
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            guard let x509 = d2i_X509(nil, &cursor, buffer.count) else { return nil }
            guard cursor == buffer.baseAddress.map({ $0 + buffer.count }) else {
                X509_free(x509)
                return nil
            }
            return x509
        }
        guard let parsed else { throw TLSError.invalidCertificate.draining(message: "d2i_X509") }
        self.init(taking: parsed)
    }

    /// The subject in OpenSSL's one-line form, e.g. `"/CN=mta-sts.a.test"`.
    package var subject: String {
        Self.oneLine(X509_get_subject_name(x509))
    }

    /// The issuer in OpenSSL's one-line form.
    package var issuer: String {
        Self.oneLine(X509_get_issuer_name(x509))
    }

    /// Whether a DNS subjectAltName (or, lacking SANs, the CN) matches `hostname` (`X509_check_host`).
    package func matches(hostname: String) -> Bool {
        X509_check_host(x509, hostname, hostname.utf8.count, 0, nil) == 1
    }

    /// The public key's algorithm.
    package var publicKeyAlgorithm: PublicKeyAlgorithm {
        guard let key = X509_get0_pubkey(x509) else { return .other(0) }
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_EC: return .ecdsa
        case EVP_PKEY_RSA: return .rsa
        case let other: return .other(other)
        }
    }

    private static func oneLine(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        var buffer = [CChar](repeating: 0, count: 512)
        _ = X509_NAME_oneline(name, &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

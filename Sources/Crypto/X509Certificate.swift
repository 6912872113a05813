internal import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed X.509 certificate.
///
/// Owns an `X509` (freed in `deinit`). Every field is read once in `init` and stored, so the object is immutable;
/// that makes it Sendable (OpenSSL permits concurrent read-only use of an `X509`).
///
/// ```swift
/// let chain = try X509Certificate.chain(fromPEM: downloadedPEM)   // leaf first
/// let expires = chain[0].notAfterSeconds
/// ```
package final class X509Certificate: @unchecked Sendable {
    /// The owned `X509 *`, freed in `deinit`.
    let pointer: OpaquePointer

    /// DER encoding of the whole certificate.
    package let derRepresentation: [UInt8]
    /// Start of the validity period, Unix seconds.
    package let notBeforeSeconds: Int64
    /// End of the validity period, Unix seconds.
    package let notAfterSeconds: Int64
    /// Content bytes of the DER serialNumber INTEGER (a leading 0x00 is kept when the high bit is set).
    package let serialNumberBytes: [UInt8]
    /// Issuer distinguished name as a one-line RFC 2253 string, e.g. `CN=R3,O=Let's Encrypt,C=US`.
    package let issuerDescription: String
    /// Subject distinguished name as a one-line RFC 2253 string.
    package let subjectDescription: String
    /// DNS names of the subjectAltName extension, in certificate order.
    package let dnsNames: [String]
    /// keyIdentifier of the authorityKeyIdentifier extension, if present.
    package let authorityKeyIdentifier: [UInt8]?
    /// The subjectKeyIdentifier extension, if present.
    package let subjectKeyIdentifier: [UInt8]?

    /// Takes ownership of `pointer` (`X509 *`).
    init(taking pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            derRepresentation = try DEREncoding.encode("certificate") { i2d_X509(pointer, $0) }
            notBeforeSeconds = try Self.unixSeconds(X509_get0_notBefore(pointer), field: "notBefore")
            notAfterSeconds = try Self.unixSeconds(X509_get0_notAfter(pointer), field: "notAfter")
            serialNumberBytes = try Self.serialContentBytes(of: pointer)
            issuerDescription = try Self.describe(X509_get_issuer_name(pointer))
            subjectDescription = try Self.describe(X509_get_subject_name(pointer))
            dnsNames = X509Extensions.dnsNames(of: pointer)
            authorityKeyIdentifier = X509_get0_authority_key_id(pointer).map(X509Extensions.bytes(of:))
            subjectKeyIdentifier = X509_get0_subject_key_id(pointer).map(X509Extensions.bytes(of:))
        } catch {
            X509_free(pointer)
            throw error
        }
    }

    deinit {
        X509_free(pointer)
    }

    /// Parses the first `CERTIFICATE` block of `pem`.
    ///
    /// - Throws: ``CryptoError/Code/decodingFailed``.
    package convenience init(pem: String) throws {
        let bio = try MemoryBIO(bytes: Array(pem.utf8))
        OpenSSLErrorQueue.clear()
        guard let certificate = PEM_read_bio_X509(bio.pointer, nil, nil, nil) else {
            throw CryptoError.openSSL(.decodingFailed, "cannot parse PEM certificate")
        }
        try self.init(taking: certificate)
    }

    /// Parses a DER certificate; trailing bytes are rejected.
    ///
    /// - Throws: ``CryptoError/Code/decodingFailed``.
    package convenience init(der: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        var consumed = 0
        let certificate = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            let result = d2i_X509(nil, &cursor, buffer.count)
            if let base = buffer.baseAddress, let cursor {
                consumed = cursor - base
            }
            return result
        }
        guard let certificate else {
            throw CryptoError.openSSL(.decodingFailed, "cannot parse DER certificate")
        }
        guard consumed == der.count else {
            X509_free(certificate)
            throw CryptoError(.decodingFailed, "trailing bytes after DER certificate")
        }
        try self.init(taking: certificate)
    }

    /// Parses every `CERTIFICATE` block of a PEM chain, in order (ACME delivers leaf first, RFC 8555 §7.4.2).
    ///
    /// - Throws: ``CryptoError/Code/decodingFailed`` when a block is malformed or there is none.
    package static func chain(fromPEM pem: String) throws -> [X509Certificate] {
        let bio = try MemoryBIO(bytes: Array(pem.utf8))
        var chain: [X509Certificate] = []
        while true {
            OpenSSLErrorQueue.clear()
            guard let certificate = PEM_read_bio_X509(bio.pointer, nil, nil, nil) else {
                let error = ERR_peek_last_error()
                // PEM_R_NO_START_LINE once the input is exhausted is the normal end of the chain.
                if !chain.isEmpty, ERR_GET_LIB(error) == ERR_LIB_PEM, ERR_GET_REASON(error) == PEM_R_NO_START_LINE {
                    OpenSSLErrorQueue.clear()
                    return chain
                }
                throw CryptoError.openSSL(.decodingFailed, "cannot parse certificate \(chain.count + 1) of PEM chain")
            }
            chain.append(try X509Certificate(taking: certificate))
        }
    }

    /// PEM form (`-----BEGIN CERTIFICATE-----`).
    package var pemRepresentation: String {
        PEMDocument.encode(label: "CERTIFICATE", der: derRepresentation)
    }

    /// Serial number as lower-case hex of ``serialNumberBytes`` (no separators).
    package var serialHex: String {
        Hex.encode(serialNumberBytes)
    }

    /// The RFC 9773 §4.1 ACME Renewal Information certificate ID, or `nil` without an authorityKeyIdentifier.
    package var ariCertID: ARICertID? {
        authorityKeyIdentifier.map { ARICertID(keyIdentifier: $0, serialNumber: serialNumberBytes) }
    }

    /// Whether `key` is the private key for this certificate's public key (`X509_check_private_key`).
    package func matchesPrivateKey(_ key: P256PrivateKey) -> Bool {
        OpenSSLErrorQueue.clear()
        let matches = X509_check_private_key(pointer, key.pointer) == 1
        OpenSSLErrorQueue.clear()
        return matches
    }

    /// Calls `body` with the borrowed `X509 *` (for the TLS module). Do not free it; up-ref to keep it.
    package func withUnsafeX509Pointer<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result {
        try body(pointer)
    }

    // MARK: - Field conversion

    private static func unixSeconds(_ time: UnsafePointer<ASN1_TIME>?, field: String) throws -> Int64 {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else {
            throw CryptoError.openSSL(.decodingFailed, "certificate \(field) is not a valid time")
        }
        return Int64(timegm(&parts))
    }

    private static func serialContentBytes(of certificate: OpaquePointer) throws -> [UInt8] {
        guard let serial = X509_get0_serialNumber(certificate) else {
            throw CryptoError(.decodingFailed, "certificate has no serial number")
        }
        let der = try DEREncoding.encode("serial number") { i2d_ASN1_INTEGER(serial, $0) }
        guard let content = DEREncoding.contentBytes(ofTLV: der, expectedTag: 0x02) else {
            throw CryptoError(.decodingFailed, "malformed serial number")
        }
        return content
    }

    /// `XN_FLAG_RFC2253`, which Swift cannot import (a macro OR-ing six other macros); spelled out from x509.h.
    private static let rfc2253Flags =
        UInt(
            ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_ESC_MSB | ASN1_STRFLGS_UTF8_CONVERT
                | ASN1_STRFLGS_DUMP_UNKNOWN | ASN1_STRFLGS_DUMP_DER
        ) | UInt(XN_FLAG_SEP_COMMA_PLUS | XN_FLAG_DN_REV | XN_FLAG_FN_SN) | UInt(XN_FLAG_DUMP_UNKNOWN_FIELDS)

    private static func describe(_ name: OpaquePointer?) throws -> String {
        guard let name else {
            throw CryptoError(.decodingFailed, "certificate has no name")
        }
        let bio = try MemoryBIO()
        guard X509_NAME_print_ex(bio.pointer, name, 0, rfc2253Flags) >= 0 else {
            throw CryptoError.openSSL(.decodingFailed, "cannot print distinguished name")
        }
        return String(decoding: bio.readAll(), as: UTF8.self)
    }
}

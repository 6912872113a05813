internal import COpenSSL
import Glibc

// MARK: - Names and validity period

extension TLSCertificate {
    /// The dNSName entries of the subjectAltName extension, in certificate order; empty without the extension.
    ///
    /// These are the DNS-IDs of RFC 6125 §6.4 as written in the certificate (A-labels, possibly with a leading
    /// `*.` wildcard): the names a client that does not fall back to the subject CN (RFC 8461 §4.1) checks.
    package var dnsNames: [String] {
        guard let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) else {
            // An absent extension leaves nothing behind; a damaged one leaves a decoding error in the queue.
            ERR_clear_error()
            return []
        }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var result: [String] = []
        for index in 0..<OPENSSL_sk_num(names) {
            guard let element = OPENSSL_sk_value(names, index) else { continue }
            var type: Int32 = 0
            let value = GENERAL_NAME_get0_value(element.assumingMemoryBound(to: GENERAL_NAME.self), &type)
            guard type == GEN_DNS, let value else { continue }
            let string = value.assumingMemoryBound(to: ASN1_STRING.self)
            let length = Int(ASN1_STRING_length(string))
            guard length > 0, let data = ASN1_STRING_get0_data(string) else {
                result.append("")
                continue
            }
            result.append(String(decoding: UnsafeBufferPointer(start: data, count: length), as: UTF8.self))
        }
        return result
    }

    /// Start of the validity period as Unix seconds; `nil` when the field is not a valid time.
    package var notBeforeSeconds: Int64? {
        Self.unixSeconds(X509_get0_notBefore(x509))
    }

    /// End of the validity period as Unix seconds; `nil` when the field is not a valid time.
    package var notAfterSeconds: Int64? {
        Self.unixSeconds(X509_get0_notAfter(x509))
    }

    /// The serial number as lower-case hex without separators (`"0"` for zero, `"-"`-prefixed when negative).
    package var serialNumberHex: String {
        guard let serial = X509_get0_serialNumber(x509), let number = ASN1_INTEGER_to_BN(serial, nil) else {
            ERR_clear_error()
            return ""
        }
        defer { BN_free(number) }
        guard let text = BN_bn2hex(number) else { return "" }
        defer { CRYPTO_free(text, #fileID, #line) }
        return String(cString: text).lowercased()
    }

    private static func unixSeconds(_ time: UnsafePointer<ASN1_TIME>?) -> Int64? {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else {
            ERR_clear_error()
            return nil
        }
        return Int64(timegm(&parts))
    }
}

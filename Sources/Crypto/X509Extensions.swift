internal import COpenSSL

/// Helpers shared by ``CertificateSigningRequest`` and ``CertificateBuilder``: DNS name checks, subject names and
/// the subjectAltName extension.
enum X509Extensions {
    /// Checks that `name` is an ASCII DNS name (LDH labels, optional leading `*.` wildcard) of at most 253
    /// characters. IDNs must already be A-labels.
    static func validateDNSName(_ name: String) throws {
        let bytes = Array(name.utf8)
        var labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard !bytes.isEmpty, bytes.count <= 253, !labels.isEmpty else {
            throw CryptoError(.invalidInput, "invalid DNS name")
        }
        if labels.first.map(Array.init) == [UInt8(ascii: "*")], labels.count > 1 {
            labels.removeFirst()
        }
        for label in labels {
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy(isLDH)
            else {
                throw CryptoError(.invalidInput, "invalid DNS name \(name)")
            }
        }
    }

    private static func isLDH(_ character: UInt8) -> Bool {
        switch character {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// Returns a new `X509_NAME` holding only `CN=<commonName>` (caller frees), or an empty name for `nil`.
    static func makeName(commonName: String?) throws -> OpaquePointer {
        guard let name = X509_NAME_new() else {
            throw CryptoError.openSSL("X509_NAME_new failed")
        }
        if let commonName {
            let bytes = Array(commonName.utf8)
            guard (1...64).contains(bytes.count),
                X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1
            else {
                X509_NAME_free(name)
                throw CryptoError.openSSL(.invalidInput, "common name must be 1 to 64 bytes")
            }
        }
        return name
    }

    /// Returns a new non-critical subjectAltName `X509_EXTENSION` with one dNSName per DNS name, then one
    /// iPAddress per IPv4/IPv6 literal (caller frees).
    static func makeSubjectAltName(dnsNames: [String], ipAddresses: [String] = []) throws -> OpaquePointer {
        guard !dnsNames.isEmpty || !ipAddresses.isEmpty else {
            throw CryptoError(.invalidInput, "at least one DNS name is required")
        }
        for name in dnsNames {
            try validateDNSName(name)
        }
        guard let names = GENERAL_NAMES_new() else {
            throw CryptoError.openSSL("GENERAL_NAMES_new failed")
        }
        // Frees every GENERAL_NAME pushed below as well.
        defer { GENERAL_NAMES_free(names) }
        for name in dnsNames {
            let bytes = Array(name.utf8)
            guard let string = ASN1_IA5STRING_new() else {
                throw CryptoError.openSSL("ASN1_IA5STRING_new failed")
            }
            guard ASN1_STRING_set(string, bytes, Int32(bytes.count)) == 1, let general = GENERAL_NAME_new() else {
                ASN1_IA5STRING_free(string)
                throw CryptoError.openSSL("cannot build dNSName")
            }
            GENERAL_NAME_set0_value(general, GEN_DNS, UnsafeMutableRawPointer(string))
            guard OPENSSL_sk_push(names, UnsafeRawPointer(general)) > 0 else {
                GENERAL_NAME_free(general)
                throw CryptoError.openSSL("cannot append dNSName")
            }
        }
        for address in ipAddresses {
            guard let octets = a2i_IPADDRESS(address) else {
                throw CryptoError.openSSL(.invalidInput, "invalid IP address \(address)")
            }
            guard let general = GENERAL_NAME_new() else {
                ASN1_OCTET_STRING_free(octets)
                throw CryptoError.openSSL("GENERAL_NAME_new failed")
            }
            GENERAL_NAME_set0_value(general, GEN_IPADD, UnsafeMutableRawPointer(octets))
            guard OPENSSL_sk_push(names, UnsafeRawPointer(general)) > 0 else {
                GENERAL_NAME_free(general)
                throw CryptoError.openSSL("cannot append iPAddress")
            }
        }
        guard let extensionPointer = X509V3_EXT_i2d(NID_subject_alt_name, 0, UnsafeMutableRawPointer(names)) else {
            throw CryptoError.openSSL("cannot encode subjectAltName")
        }
        return extensionPointer
    }

    /// Reads the dNSName entries of the subjectAltName extension of `certificate` (`X509 *`).
    static func dnsNames(of certificate: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else {
            OpenSSLErrorQueue.clear()
            return []
        }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var result: [String] = []
        for index in 0..<OPENSSL_sk_num(names) {
            guard let element = OPENSSL_sk_value(names, index) else {
                continue
            }
            var type: Int32 = 0
            let value = GENERAL_NAME_get0_value(element.assumingMemoryBound(to: GENERAL_NAME.self), &type)
            guard type == GEN_DNS, let value else {
                continue
            }
            let string = value.assumingMemoryBound(to: ASN1_STRING.self)
            result.append(String(decoding: bytes(of: string), as: UTF8.self))
        }
        return result
    }

    /// Copies the bytes of an `ASN1_STRING` (also `ASN1_OCTET_STRING`, `ASN1_IA5STRING`).
    static func bytes(of string: UnsafePointer<ASN1_STRING>) -> [UInt8] {
        let length = Int(ASN1_STRING_length(string))
        guard length > 0, let data = ASN1_STRING_get0_data(string) else {
            return []
        }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }
}

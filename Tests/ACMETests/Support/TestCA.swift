import Crypto
import Foundation

/// A throwaway CA that "issues" for a CSR the way Pebble does: leaf for the CSR's public key with the CSR's
/// names, followed by the CA certificate.
struct TestCA {
    let authority: CertificateBuilder.Issued

    init() throws {
        authority = try CertificateBuilder.makeAuthority(commonName: "Pebble Intermediate CA test", now: 1_764_000_000)
    }

    /// The PEM chain (leaf, then the CA) for a DER CSR carrying a P-256 key.
    func issue(csr: [UInt8], names: [String]) throws -> String {
        let key = try Self.publicKey(inCSR: csr)
        let builder = CertificateBuilder(
            commonName: names.first,
            dnsNames: names,
            notBefore: 1_764_000_000 - 3600,
            notAfter: 1_764_000_000 + 90 * 86_400
        )
        let leaf = try builder.issued(for: key, by: authority)
        return leaf.pemRepresentation + authority.certificate.pemRepresentation
    }

    /// The P-256 SubjectPublicKeyInfo inside a CSR, found by its fixed DER prefix (id-ecPublicKey, prime256v1,
    /// BIT STRING of 66 bytes, uncompressed point).
    static func publicKey(inCSR csr: [UInt8]) throws -> P256PublicKey {
        let prefix: [UInt8] = [
            0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
            0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
        ]
        guard csr.count > prefix.count + 64,
            let start = (0...(csr.count - prefix.count - 64)).first(where: {
                Array(csr[$0..<$0 + prefix.count]) == prefix
            })
        else {
            throw ScriptedACMEServer.ServerFailure("CSR has no P-256 public key")
        }
        let point = start + prefix.count
        return try P256PublicKey(x: Array(csr[point..<point + 32]), y: Array(csr[point + 32..<point + 64]))
    }

    /// Whether the DER CSR mentions `name` (its subjectAltName dNSName bytes).
    static func csr(_ csr: [UInt8], contains name: String) -> Bool {
        let needle = Array(name.utf8)
        guard csr.count >= needle.count else { return false }
        return (0...(csr.count - needle.count)).contains { Array(csr[$0..<$0 + needle.count]) == needle }
    }
}

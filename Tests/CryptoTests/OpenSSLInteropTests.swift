import Foundation
import Testing

@testable import Crypto

/// Certificates and keys made by the openssl command line tool, parsed by this module.
@Suite struct OpenSSLInteropTests {
    @Test func parsesCertificateMadeByOpenSSL() throws {
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let keyPath = directory + "/key.pem"
        let certificatePath = directory + "/certificate.pem"
        let result = try TestSupport.runOpenSSL([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", "30", "-set_serial", "0x8765432100",
            "-subj", "/C=US/O=Example Org/CN=openssl.example",
            "-addext", "subjectAltName=DNS:a.example,IP:127.0.0.1,DNS:b.example",
        ])
        #expect(result.status == 0, "\(result.output)")
        let certificate = try X509Certificate(pem: String(contentsOfFile: certificatePath, encoding: .utf8))
        #expect(certificate.serialNumberBytes == [0x00, 0x87, 0x65, 0x43, 0x21, 0x00])
        #expect(certificate.subjectDescription == "CN=openssl.example,O=Example Org,C=US")
        #expect(certificate.issuerDescription == certificate.subjectDescription)
        #expect(certificate.dnsNames == ["a.example", "b.example"])
        #expect(certificate.notAfterSeconds - certificate.notBeforeSeconds == 30 * 86_400)
        #expect(abs(certificate.notBeforeSeconds - Int64(Date().timeIntervalSince1970)) < 600)
        let key = try P256PrivateKey(pem: String(contentsOfFile: keyPath, encoding: .utf8))
        #expect(certificate.matchesPrivateKey(key))
        #expect(!certificate.matchesPrivateKey(try P256PrivateKey.generate()))
    }

    @Test func loadsSEC1PrivateKeyAndOpenSSLVerifiesOurSignature() throws {
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let key = try P256PrivateKey.generate()
        try key.pemRepresentation.write(toFile: directory + "/pkcs8.pem", atomically: true, encoding: .utf8)
        let conversion = try TestSupport.runOpenSSL([
            "ec", "-in", directory + "/pkcs8.pem", "-out", directory + "/sec1.pem",
        ])
        #expect(conversion.status == 0, "\(conversion.output)")
        let sec1 = try String(contentsOfFile: directory + "/sec1.pem", encoding: .utf8)
        #expect(sec1.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
        #expect(try P256PrivateKey(pem: sec1).jwkThumbprint == key.jwkThumbprint)

        let message = Array("signed by Swift".utf8)
        try Data(message).write(to: URL(fileURLWithPath: directory + "/message"))
        try Data(try key.signatureDER(for: message)).write(to: URL(fileURLWithPath: directory + "/signature"))
        try key.publicKey.pemRepresentation.write(toFile: directory + "/public.pem", atomically: true, encoding: .utf8)
        let verification = try TestSupport.runOpenSSL([
            "dgst", "-sha256", "-verify", directory + "/public.pem", "-signature", directory + "/signature",
            directory + "/message",
        ])
        #expect(verification.output.contains("Verified OK"), "\(verification.output)")
    }
}

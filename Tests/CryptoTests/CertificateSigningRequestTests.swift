import Foundation
import Testing

@testable import Crypto

@Suite struct CertificateSigningRequestTests {
    /// Parses the CSR with the openssl command line tool, which also checks its self-signature.
    private func inspect(_ der: [UInt8]) throws -> (status: Int32, output: String) {
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/request.der"
        try Data(der).write(to: URL(fileURLWithPath: path))
        return try TestSupport.runOpenSSL(["req", "-inform", "DER", "-in", path, "-noout", "-text", "-verify"])
    }

    @Test func csrCarriesNamesAndVerifies() throws {
        let key = try P256PrivateKey.generate()
        let der = try CertificateSigningRequest.make(dnsNames: ["mta-sts.example.com", "*.example.net"], key: key)
        #expect(der.first == 0x30)
        let result = try inspect(der)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("verify OK"))
        #expect(result.output.contains("Subject: CN = mta-sts.example.com"))
        #expect(result.output.contains("DNS:mta-sts.example.com, DNS:*.example.net"))
        #expect(result.output.contains("ecdsa-with-SHA256"))
        #expect(result.output.contains("NIST CURVE: P-256"))
    }

    @Test func csrCarriesThePublicKey() throws {
        let key = try P256KeyTests.rfcKey()
        let der = try CertificateSigningRequest.make(dnsNames: ["a.example"], key: key)
        let result = try inspect(der)
        // The uncompressed point 04 ‖ x ‖ y appears in the text dump, colon-separated.
        let point = ([0x04] + key.publicKey.x).prefix(15).map { Hex.encode([$0]) }.joined(separator: ":")
        #expect(result.output.contains(point))
    }

    @Test func commonNameCanBeOverriddenOrOmitted() throws {
        let key = try P256PrivateKey.generate()
        let explicit = try inspect(
            try CertificateSigningRequest.make(dnsNames: ["a.example"], key: key, commonName: "Custom")
        )
        #expect(explicit.output.contains("Subject: CN = Custom"))
        let longName = String(repeating: "a", count: 60) + ".example"
        let omitted = try inspect(try CertificateSigningRequest.make(dnsNames: [longName], key: key))
        #expect(omitted.status == 0)
        #expect(!omitted.output.contains("CN ="))
        #expect(omitted.output.contains("DNS:\(longName)"))
    }

    @Test func rejectsBadNames() throws {
        let key = try P256PrivateKey.generate()
        for names in [[], [""], ["a,DNS:b.example"], ["-a.example"], ["a..example"], ["a.*.example"], ["é.example"]] {
            #expect(throws: CryptoError(.invalidInput, ""), "\(names)") {
                try CertificateSigningRequest.make(dnsNames: names, key: key)
            }
        }
    }

    @Test func pemWrapping() throws {
        let der = try CertificateSigningRequest.make(dnsNames: ["a.example"], key: P256PrivateKey.generate())
        let pem = CertificateSigningRequest.pem(fromDER: der)
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----\n"))
        #expect(pem.split(separator: "\n").dropFirst().dropLast().allSatisfy { $0.count <= 64 })
    }
}

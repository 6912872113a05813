import Foundation
import Testing

@testable import TLS

@Suite struct CertificateTests {
    @Test func parsesChainLeafFirst() throws {
        let pki = try TestPKI.load()
        #expect(pki.pairA.chain.count == 2)
        #expect(pki.pairA.leaf.subject == "/CN=mta-sts.a.test")
        #expect(pki.pairA.leaf.issuer == "/CN=Test Intermediate CA")
        #expect(pki.pairA.chain[1].subject == "/CN=Test Intermediate CA")
        #expect(pki.pairA.leaf.publicKeyAlgorithm == .ecdsa)
        #expect(pki.pairB.leaf.publicKeyAlgorithm == .rsa)
        #expect(pki.pairA.leaf.matches(hostname: "mta-sts.a.test"))
        #expect(!pki.pairA.leaf.matches(hostname: "mta-sts.b.test"))
    }

    @Test func rejectsMismatchedKey() throws {
        let pki = try TestPKI.load()
        let chain = try String(contentsOfFile: pki.chainFileA, encoding: .utf8)
        let keyB = try String(contentsOfFile: pki.directory.appendingPathComponent("b.key").path, encoding: .utf8)
        let error = #expect(throws: TLSError.self) { try CertificateKeyPair(chainPEM: chain, privateKeyPEM: keyB) }
        #expect(error == .invalidPrivateKey)
        #expect(error?.description.contains("does not match") == true)
    }

    @Test func rejectsGarbageAndDamagedPEM() throws {
        let pki = try TestPKI.load()
        let chain = try String(contentsOfFile: pki.chainFileA, encoding: .utf8)
        #expect(throws: TLSError.invalidCertificate) { try TLSCertificate.parseChain(pem: "not a certificate") }
        let damaged = chain.replacingOccurrences(of: "MI", with: "!!")
        #expect(throws: TLSError.invalidCertificate) { try TLSCertificate.parseChain(pem: damaged) }
        #expect(throws: TLSError.invalidPrivateKey) {
            try TLSPrivateKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        }
    }

    @Test func clientContextRejectsMissingCAFile() {
        let error = #expect(throws: TLSError.self) {
            try TLSContext.makeClient(configuration: .client(trustRoots: .file("/nonexistent/ca.pem")))
        }
        #expect(error == .configuration)
        #expect(error?.message == "SSL_CTX_load_verify_locations")
    }

    @Test func invalidCipherConfigurationIsReported() {
        var configuration = TLSConfiguration.server
        configuration.cipherList = "NOT-A-CIPHER"
        let error = #expect(throws: TLSError.self) { try TLSContext.makeServer(configuration: configuration) }
        #expect(error == .configuration)
        #expect(error?.queue.isEmpty == false)
    }
}

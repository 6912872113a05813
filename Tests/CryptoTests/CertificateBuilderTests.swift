import Foundation
import Testing

@testable import Crypto

@Suite struct CertificateBuilderTests {
    @Test func opensslVerifiesIssuedChain() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let ca = try CertificateBuilder.makeAuthority(commonName: "Builder CA", now: now)
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: ["mta-sts.example.test"], issuer: ca, now: now)
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try ca.certificate.pemRepresentation.write(toFile: directory + "/ca.pem", atomically: true, encoding: .utf8)
        try leaf.certificate.pemRepresentation.write(toFile: directory + "/leaf.pem", atomically: true, encoding: .utf8)
        let result = try TestSupport.runOpenSSL([
            "verify", "-CAfile", directory + "/ca.pem", "-purpose", "sslserver",
            "-verify_hostname", "mta-sts.example.test", directory + "/leaf.pem",
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(": OK"))
        let wrongHost = try TestSupport.runOpenSSL([
            "verify", "-CAfile", directory + "/ca.pem", "-verify_hostname", "other.example.test",
            directory + "/leaf.pem",
        ])
        #expect(wrongHost.status != 0)
    }

    @Test func ipAddressEntriesVerifyForLoopback() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let ca = try CertificateBuilder.makeAuthority(commonName: "Loopback CA", now: now)
        let leaf = try CertificateBuilder.makeLeaf(
            dnsNames: ["localhost"],
            ipAddresses: ["127.0.0.1", "::1"],
            issuer: ca,
            now: now
        )
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try ca.certificate.pemRepresentation.write(toFile: directory + "/ca.pem", atomically: true, encoding: .utf8)
        try leaf.certificate.pemRepresentation.write(toFile: directory + "/leaf.pem", atomically: true, encoding: .utf8)
        for address in ["127.0.0.1", "::1"] {
            let result = try TestSupport.runOpenSSL([
                "verify", "-CAfile", directory + "/ca.pem", "-verify_ip", address, directory + "/leaf.pem",
            ])
            #expect(result.status == 0, "\(address): \(result.output)")
        }
        let wrongAddress = try TestSupport.runOpenSSL([
            "verify", "-CAfile", directory + "/ca.pem", "-verify_ip", "127.0.0.2", directory + "/leaf.pem",
        ])
        #expect(wrongAddress.status != 0)
        #expect(leaf.certificate.dnsNames == ["localhost"])
        #expect(throws: CryptoError(.invalidInput, "")) {
            try CertificateBuilder.makeLeaf(dnsNames: [], ipAddresses: ["300.1.1.1"], issuer: ca, now: now)
        }
    }

    @Test func extensionsMatchRole() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let ca = try CertificateBuilder.makeAuthority(commonName: "Role CA", now: now)
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: ["a.example", "*.b.example"], issuer: ca, now: now)
        let directory = try TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try leaf.certificate.pemRepresentation.write(toFile: directory + "/leaf.pem", atomically: true, encoding: .utf8)
        try ca.certificate.pemRepresentation.write(toFile: directory + "/ca.pem", atomically: true, encoding: .utf8)
        let leafText = try TestSupport.runOpenSSL(["x509", "-in", directory + "/leaf.pem", "-noout", "-text"]).output
        #expect(leafText.contains("CA:FALSE"))
        #expect(leafText.contains("TLS Web Server Authentication"))
        #expect(leafText.contains("DNS:a.example, DNS:*.b.example"))
        #expect(leafText.contains("Version: 3"))
        let caText = try TestSupport.runOpenSSL(["x509", "-in", directory + "/ca.pem", "-noout", "-text"]).output
        #expect(caText.contains("CA:TRUE"))
        #expect(caText.contains("Certificate Sign"))
    }

    @Test func rejectsMismatchedIssuerAndBadInput() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let ca = try CertificateBuilder.makeAuthority(commonName: "CA", now: now)
        let impostor = CertificateBuilder.Issued(certificate: ca.certificate, key: try P256PrivateKey.generate())
        #expect(throws: CryptoError(.invalidKey, "")) {
            try CertificateBuilder.makeLeaf(dnsNames: ["a.example"], issuer: impostor, now: now)
        }
        #expect(throws: CryptoError(.invalidInput, "")) {
            try CertificateBuilder.makeLeaf(dnsNames: ["bad name"], issuer: ca, now: now)
        }
        let backwards = CertificateBuilder(notBefore: now, notAfter: now - 1)
        #expect(throws: CryptoError(.invalidInput, "")) { try backwards.selfSigned(key: ca.key) }
    }

    @Test func issuingManyLeavesIsFast() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let ca = try CertificateBuilder.makeAuthority(commonName: "Bulk CA", now: now)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for index in 0..<100 {
                let leaf = try CertificateBuilder.makeLeaf(dnsNames: ["host\(index).example"], issuer: ca, now: now)
                #expect(leaf.certificate.dnsNames == ["host\(index).example"])
            }
        }
        // About 0.3 ms per leaf on the build machine; the bound only catches pathological slowness.
        #expect(elapsed < .seconds(10))
    }
}

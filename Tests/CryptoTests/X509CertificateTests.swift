import Foundation
import Testing

@testable import Crypto

@Suite struct X509CertificateTests {
    static let now: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z

    /// The RFC 9773 §4.1 example: AKI 69:88:5B:…:D4, serial 0x87654321.
    static let rfcKeyIdentifier = TestSupport.hex("69885b6b87464041e1b37b847ba0ae2cde01c8d4")

    @Test func parsesBuilderOutput() throws {
        let ca = try CertificateBuilder.makeAuthority(commonName: "Test Root", now: Self.now)
        let leaf = try CertificateBuilder.makeLeaf(
            dnsNames: ["mta-sts.example.com", "mta-sts.example.net"],
            issuer: ca,
            now: Self.now
        )
        let certificate = leaf.certificate
        #expect(certificate.dnsNames == ["mta-sts.example.com", "mta-sts.example.net"])
        #expect(certificate.notBeforeSeconds == Self.now - 3_600)
        #expect(certificate.notAfterSeconds == Self.now + 90 * 86_400)
        #expect(certificate.notAfter == Date(timeIntervalSince1970: TimeInterval(Self.now + 90 * 86_400)))
        #expect(certificate.isValid(at: Date(timeIntervalSince1970: TimeInterval(Self.now))))
        #expect(!certificate.isValid(at: Date(timeIntervalSince1970: TimeInterval(Self.now + 91 * 86_400))))
        #expect(certificate.subjectDescription == "CN=mta-sts.example.com")
        #expect(certificate.issuerDescription == "CN=Test Root")
        #expect(certificate.authorityKeyIdentifier == ca.certificate.subjectKeyIdentifier)
        #expect(certificate.authorityKeyIdentifier?.count == 20)
        #expect(certificate.serialNumberBytes.count == 16)
        #expect(certificate.serialHex == Hex.encode(certificate.serialNumberBytes))
        #expect(certificate.matchesPrivateKey(leaf.key))
        #expect(!certificate.matchesPrivateKey(ca.key))
        #expect(ca.certificate.dnsNames.isEmpty)
        #expect(ca.certificate.authorityKeyIdentifier == nil)
        #expect(ca.certificate.ariCertID == nil)
    }

    @Test func ariCertIDMatchesRFC9773Example() throws {
        let ca = try CertificateBuilder.makeAuthority(
            commonName: "Example CA",
            now: Self.now,
            subjectKeyIdentifier: Self.rfcKeyIdentifier
        )
        let leaf = try CertificateBuilder.makeLeaf(
            dnsNames: ["example.com"],
            issuer: ca,
            now: Self.now,
            serialNumber: [0x87, 0x65, 0x43, 0x21]
        )
        #expect(leaf.certificate.serialNumberBytes == [0x00, 0x87, 0x65, 0x43, 0x21])
        #expect(leaf.certificate.serialHex == "0087654321")
        #expect(leaf.certificate.authorityKeyIdentifier == Self.rfcKeyIdentifier)
        #expect(leaf.certificate.ariCertID?.description == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
    }

    @Test func ariCertIDStringAssemblyAndParsing() throws {
        let id = ARICertID(keyIdentifier: Self.rfcKeyIdentifier, serialNumber: [0x00, 0x87, 0x65, 0x43, 0x21])
        #expect(id.description == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
        #expect(ARICertID("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE") == id)
        #expect(ARICertID("aYhba4dGQEHhs3uEe6CuLN4ByNQ=.AIdlQyE") == nil)
        #expect(ARICertID("aYhba4dGQEHhs3uEe6CuLN4ByNQ") == nil)
        #expect(ARICertID(".AIdlQyE") == nil)
    }

    @Test func pemAndDERRoundTrip() throws {
        let ca = try CertificateBuilder.makeAuthority(commonName: "Round Trip", now: Self.now)
        let pem = ca.certificate.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        let fromPEM = try X509Certificate(pem: pem)
        let fromDER = try X509Certificate(der: ca.certificate.derRepresentation)
        #expect(fromPEM.derRepresentation == ca.certificate.derRepresentation)
        #expect(fromDER.serialNumberBytes == ca.certificate.serialNumberBytes)
        #expect(fromDER.subjectDescription == "CN=Round Trip")
        #expect(throws: CryptoError(.decodingFailed, "")) {
            try X509Certificate(der: ca.certificate.derRepresentation + [0])
        }
        #expect(throws: CryptoError(.decodingFailed, "")) { try X509Certificate(pem: "garbage") }
    }

    @Test func chainIsParsedLeafFirst() throws {
        let root = try CertificateBuilder.makeAuthority(commonName: "Root", now: Self.now)
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: ["leaf.example"], issuer: root, now: Self.now)
        let text = leaf.certificate.pemRepresentation + "\n" + root.certificate.pemRepresentation
        let chain = try X509Certificate.chain(fromPEM: text)
        #expect(chain.count == 2)
        #expect(chain[0].dnsNames == ["leaf.example"])
        #expect(chain[1].subjectDescription == "CN=Root")
        #expect(throws: CryptoError(.decodingFailed, "")) { try X509Certificate.chain(fromPEM: "") }
        let broken =
            leaf.certificate.pemRepresentation
            + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        #expect(throws: CryptoError(.decodingFailed, "")) { try X509Certificate.chain(fromPEM: broken) }
    }

    @Test func distinguishedNamesUseRFC2253Escaping() throws {
        let key = try P256PrivateKey.generate()
        let builder = CertificateBuilder(commonName: "Acme, Inc.", notBefore: Self.now, notAfter: Self.now + 60)
        let certificate = try builder.selfSigned(key: key)
        #expect(certificate.subjectDescription == #"CN=Acme\, Inc."#)
    }
}

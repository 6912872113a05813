import Crypto
import Foundation
import TLS
import TestSupport

/// A throwaway CA and a certificate for `reports.example.net` from it, as both doors' tests present it.
struct ReportsHostCertificate {
    static let hostname = "reports.example.net"
    /// The CA, PEM.
    let caPEM: String
    /// ``caPEM`` on disk, in the test's directory.
    let caFile: String
    /// The server context with the host's certificate (and the CA as its chain).
    let context: TLSContext

    init(directory: TemporaryDirectory, configuration: TLSConfiguration = .server) throws {
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(commonName: "Reports Test CA", now: now)
        caPEM = authority.certificate.pemRepresentation
        caFile = try directory.write(caPEM, to: "ca.pem")
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: [Self.hostname], issuer: authority, now: now)
        context = try TLSContext.makeServer(
            certificate: try CertificateKeyPair(
                chainPEM: leaf.certificate.pemRepresentation + authority.certificate.pemRepresentation,
                privateKeyPEM: try leaf.key.pemRepresentation
            ),
            configuration: configuration
        )
    }
}

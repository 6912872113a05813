import Crypto
import Foundation
import TLS
import TestSupport

/// Throwaway certificates made with `CertificateBuilder`, once per test process: a trusted CA with a leaf for
/// `localhost`/`127.0.0.1`/`::1`, a leaf for another name from the same CA, and an unrelated CA.
struct WebClientTestPKI: Sendable {
    let directory: TemporaryDirectory
    /// PEM file of the CA that signed both leaves.
    let trustedCAPath: String
    /// PEM file of a CA that signed nothing here.
    let untrustedCAPath: String
    /// Leaf for localhost, 127.0.0.1 and ::1.
    let localhost: CertificateKeyPair
    /// Leaf for `elsewhere.test` only.
    let elsewhere: CertificateKeyPair

    static let shared = Result { try WebClientTestPKI.generate() }

    static func load() throws -> WebClientTestPKI {
        try shared.get()
    }

    private static func generate() throws -> WebClientTestPKI {
        let directory = try TemporaryDirectory(prefix: "webclient-pki")
        // A static is never deinitialised: remove the files when the test process exits.
        atexit { (try? WebClientTestPKI.shared.get())?.directory.remove() }
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(
            commonName: "WebClient Test CA",
            now: now,
            lifetime: 86_400
        )
        let other = try CertificateBuilder.makeAuthority(commonName: "Unrelated Test CA", now: now, lifetime: 86_400)
        let localhost = try CertificateBuilder.makeLeaf(
            dnsNames: ["localhost"],
            ipAddresses: ["127.0.0.1", "::1"],
            issuer: authority,
            now: now
        )
        let elsewhere = try CertificateBuilder.makeLeaf(dnsNames: ["elsewhere.test"], issuer: authority, now: now)
        func pair(_ issued: CertificateBuilder.Issued) throws -> CertificateKeyPair {
            try CertificateKeyPair(
                chainPEM: issued.certificate.pemRepresentation,
                privateKeyPEM: issued.key.pemRepresentation
            )
        }
        return WebClientTestPKI(
            directory: directory,
            trustedCAPath: try directory.write(authority.certificate.pemRepresentation, to: "ca.pem"),
            untrustedCAPath: try directory.write(other.certificate.pemRepresentation, to: "other-ca.pem"),
            localhost: try pair(localhost),
            elsewhere: try pair(elsewhere)
        )
    }
}

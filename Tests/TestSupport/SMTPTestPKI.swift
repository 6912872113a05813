package import Crypto
import Foundation

/// A throwaway CA and the certificates the SMTP fixtures present, written as PEM files into a test directory.
///
/// The MX host of the probe tests is `mx.probe.test` and the relay of the submission tests `relay.submission.test`;
/// the tests' resolvers send every name to loopback.
package struct SMTPTestPKI: Sendable {
    /// A certificate and key on disk.
    package struct Credential: Sendable {
        package let certificatePath: String
        package let keyPath: String
        package let certificate: X509Certificate
    }

    /// The MX host name the probe tests use.
    package static let mxHost = "mx.probe.test"
    /// The relay host name the submission tests use.
    package static let relayHost = "relay.submission.test"

    /// The CA bundle to trust (just the test CA).
    package let rootsPath: String
    /// For `mx.probe.test`, valid now.
    package let valid: Credential
    /// For `*.probe.test`, valid now.
    package let wildcard: Credential
    /// For `mail.elsewhere.test` only.
    package let otherName: Credential
    /// Subject CN `mx.probe.test` but subjectAltName `other.probe.test` only: matches only with a CN fallback.
    package let commonNameOnly: Credential
    /// For `mx.probe.test`, expired yesterday.
    package let expired: Credential
    /// For `mx.probe.test`, issued by a CA nobody trusts.
    package let untrusted: Credential
    /// For `relay.submission.test` and `127.0.0.1`.
    package let relay: Credential

    package init(directory: TemporaryDirectory) throws {
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(commonName: "SMTP Test CA", now: now)
        let stranger = try CertificateBuilder.makeAuthority(commonName: "Unknown CA", now: now)
        rootsPath = try directory.write(authority.certificate.pemRepresentation, to: "smtp-roots.pem")

        func write(_ name: String, _ issued: CertificateBuilder.Issued) throws -> Credential {
            try write(name, certificate: issued.certificate, key: issued.key)
        }
        func write(_ name: String, certificate: X509Certificate, key: P256PrivateKey) throws -> Credential {
            Credential(
                certificatePath: try directory.write(certificate.pemRepresentation, to: name + ".pem"),
                keyPath: try directory.write(key.pemRepresentation, to: name + ".key"),
                certificate: certificate
            )
        }
        /// A leaf from the test CA with a subject CN and validity of its own.
        func leaf(
            _ name: String,
            commonName: String?,
            dnsNames: [String],
            notBefore: Int64,
            notAfter: Int64
        ) throws
            -> Credential
        {
            let key = try P256PrivateKey.generate()
            let builder = CertificateBuilder(
                commonName: commonName,
                dnsNames: dnsNames,
                notBefore: notBefore,
                notAfter: notAfter
            )
            return try write(name, certificate: try builder.issued(for: key.publicKey, by: authority), key: key)
        }

        valid = try write(
            "valid",
            try CertificateBuilder.makeLeaf(dnsNames: [Self.mxHost], issuer: authority, now: now)
        )
        wildcard = try write(
            "wildcard",
            try CertificateBuilder.makeLeaf(dnsNames: ["*.probe.test"], issuer: authority, now: now)
        )
        otherName = try write(
            "other-name",
            try CertificateBuilder.makeLeaf(dnsNames: ["mail.elsewhere.test"], issuer: authority, now: now)
        )
        commonNameOnly = try leaf(
            "cn-only",
            commonName: Self.mxHost,
            dnsNames: ["other.probe.test"],
            notBefore: now - 3600,
            notAfter: now + 86_400
        )
        expired = try leaf(
            "expired",
            commonName: nil,
            dnsNames: [Self.mxHost],
            notBefore: now - 10 * 86_400,
            notAfter: now - 86_400
        )
        untrusted = try write(
            "untrusted",
            try CertificateBuilder.makeLeaf(dnsNames: [Self.mxHost], issuer: stranger, now: now)
        )
        relay = try write(
            "relay",
            try CertificateBuilder.makeLeaf(
                dnsNames: [Self.relayHost],
                ipAddresses: ["127.0.0.1"],
                issuer: authority,
                now: now
            )
        )
    }
}

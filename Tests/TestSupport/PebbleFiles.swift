import Crypto
import Foundation

/// The files Pebble needs: a WFE certificate and key (the Debian package ships none) and the JSON config.
enum PebbleFiles {
    /// Where the generated PEM files were written.
    struct Paths {
        /// The leaf for `localhost`, `pebble` and `127.0.0.1`.
        var certificatePath: String
        /// Its private key.
        var privateKeyPath: String
        /// The CA that signed the leaf: what clients trust.
        var caBundlePath: String
    }

    /// Makes a throwaway CA and a leaf for the WFE and writes them into `directory`.
    static func write(into directory: TemporaryDirectory) throws -> Paths {
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(
            commonName: "Pebble WFE Test CA",
            now: now,
            lifetime: 86_400
        )
        let leaf = try CertificateBuilder.makeLeaf(
            dnsNames: ["localhost", "pebble"],
            ipAddresses: ["127.0.0.1"],
            issuer: authority,
            now: now,
            lifetime: 86_400
        )
        return Paths(
            certificatePath: try directory.write(leaf.certificate.pemRepresentation, to: "wfe.crt"),
            privateKeyPath: try directory.write(leaf.key.pemRepresentation, to: "wfe.key"),
            caBundlePath: try directory.write(authority.certificate.pemRepresentation, to: "wfe-ca.pem")
        )
    }

    /// The `{"pebble": {...}}` configuration (RFC-NOTES §5.2) with absolute paths and loopback listeners.
    static func configuration(
        listenPort: UInt16,
        managementPort: UInt16,
        httpPort: UInt16,
        tlsPort: UInt16,
        certificatePath: String,
        privateKeyPath: String,
        certificateValidityPeriod: Int,
        blockedDomains: [String] = []
    ) throws -> String {
        let settings: [String: Any] = [
            "listenAddress": "127.0.0.1:\(listenPort)",
            "managementListenAddress": "127.0.0.1:\(managementPort)",
            "certificate": certificatePath,
            "privateKey": privateKeyPath,
            "httpPort": Int(httpPort),
            "tlsPort": Int(tlsPort),
            "ocspResponderURL": "",
            "externalAccountBindingRequired": false,
            "certificateValidityPeriod": certificateValidityPeriod,
            // Orders for these names (and their subdomains) are refused with rejectedIdentifier.
            "domainBlocklist": blockedDomains,
        ]
        let data = try JSONSerialization.data(
            withJSONObject: ["pebble": settings],
            options: [.prettyPrinted, .sortedKeys]
        )
        return String(decoding: data, as: UTF8.self)
    }
}

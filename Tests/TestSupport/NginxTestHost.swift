package import Crypto

/// One virtual host of an ``NginxTestServer``: a `server` block selected by SNI on its listen address, with its own
/// certificate, TLS versions and answer.
///
/// ```swift
/// let host = NginxTestHost(
///     serverName: "mta-sts.example.test",
///     certificate: try CertificateBuilder.makeLeaf(dnsNames: ["mta-sts.example.test"], issuer: ca, now: now),
///     response: .file(path: "/.well-known/mta-sts.txt", body: policyText, contentType: "text/plain")
/// )
/// ```
package struct NginxTestHost: Sendable {
    /// What the host answers.
    package enum Response: Sendable {
        /// `body` at `path` (a static file, so nginx sends Content-Length), 404 everywhere else.
        case file(path: String, body: String, contentType: String)
        /// A redirect (`return <status> <location>`) for every path.
        case redirect(status: Int, location: String)
        /// An empty answer with `status` for every path.
        case status(Int)
    }

    /// The `server_name` (the SNI name clients send).
    package var serverName: String
    /// The certificate and key the host presents; `nil` makes it a plain-HTTP listener (no TLS at all).
    package var certificate: CertificateBuilder.Issued?
    /// The loopback address it listens on. Versions and ciphers are chosen before SNI (OpenSSL negotiates the
    /// version before the server-name callback runs), so a host with other ``protocols`` or a plain-HTTP host
    /// needs an address of its own, where it is the only (default) server.
    package var address: String
    /// `ssl_protocols`, e.g. `["TLSv1", "TLSv1.1"]` for a host offering only versions senders refuse.
    package var protocols: [String]
    /// `ssl_ciphers`, e.g. `"DEFAULT:@SECLEVEL=0"`, which OpenSSL 3 needs before it offers TLS 1.0 or 1.1.
    package var ciphers: String?
    /// The answer.
    package var response: Response

    /// Creates a host listening on 127.0.0.1 with TLS 1.2 and 1.3.
    package init(
        serverName: String,
        certificate: CertificateBuilder.Issued?,
        address: String = "127.0.0.1",
        protocols: [String] = ["TLSv1.2", "TLSv1.3"],
        ciphers: String? = nil,
        response: Response
    ) {
        self.serverName = serverName
        self.certificate = certificate
        self.address = address
        self.protocols = protocols
        self.ciphers = ciphers
        self.response = response
    }
}

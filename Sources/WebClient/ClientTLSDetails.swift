package import TLS

/// What the TLS layer of an `https` response negotiated and was shown, for diagnostics such as the policy-host
/// check: the version and the server's leaf certificate (its names and validity period).
package struct ClientTLSDetails: Sendable {
    /// The negotiated version, e.g. `"TLSv1.3"`.
    package var protocolVersion: String
    /// The server's leaf certificate; `nil` only if the server sent none (which verification would refuse).
    package var peerCertificate: TLSCertificate?

    /// Creates details.
    package init(protocolVersion: String, peerCertificate: TLSCertificate?) {
        self.protocolVersion = protocolVersion
        self.peerCertificate = peerCertificate
    }
}

package import TLS

/// What a completed TLS handshake with an MX host showed: the negotiated parameters, the certificate, and the
/// two checks RFC 8461 §4.1 asks of a sender, kept apart so a checker can report each.
///
/// The probe finishes the handshake even when the certificate fails verification, so all of this is known
/// for a bad certificate too.
///
/// ```swift
/// if let tls = result.tls, tls.isChainTrusted, tls.matchedName != nil { /* the MX passes */ }
/// ```
package struct SMTPProbeTLS: Sendable, Hashable {
    /// The negotiated version, e.g. `"TLSv1.3"`.
    package let protocolVersion: String
    /// The negotiated cipher, e.g. `"TLS_AES_128_GCM_SHA256"`.
    package let cipher: String?
    /// The leaf certificate; `nil` when the server sent none.
    package let certificate: SMTPCertificateSummary?
    /// Why the chain did not verify against the configured roots (trust, validity dates, signatures); `nil` when
    /// it did. The host name is not part of this check: see ``matchedName``.
    package let chainFailure: TLSVerificationFailure?
    /// The DNS-ID that covers the MX host by RFC 8461 §4.1's rules; `nil` when none does.
    package let matchedName: String?

    /// Creates the summary of a handshake.
    package init(
        protocolVersion: String,
        cipher: String?,
        certificate: SMTPCertificateSummary?,
        chainFailure: TLSVerificationFailure?,
        matchedName: String?
    ) {
        self.protocolVersion = protocolVersion
        self.cipher = cipher
        self.certificate = certificate
        self.chainFailure = chainFailure
        self.matchedName = matchedName
    }

    /// Whether the chain verified against the configured roots, dates included.
    package var isChainTrusted: Bool { certificate != nil && chainFailure == nil }

    /// Whether the certificate names the MX host (a DNS-ID, by RFC 8461 §4.1's rules).
    package var isNameMatched: Bool { matchedName != nil }
}

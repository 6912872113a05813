internal import COpenSSL

/// Why a client rejected (or, when it completes the handshake anyway, would reject) the server's certificate.
///
/// OpenSSL stops at the first problem it finds, so this is one reason even when several apply; its checks run
/// chain building and trust first, then the host name, then signatures and validity dates.
///
/// ```swift
/// if let failure = connection.verificationFailure, failure.kind == .expired { report("certificate-expired") }
/// ```
package struct TLSVerificationFailure: Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, as reports such as TLS-RPT (RFC 8460 §4.3) distinguish them.
    package enum Kind: Sendable, Hashable {
        /// The certificate or one in its chain is past its notAfter date.
        case expired
        /// The certificate or one in its chain is before its notBefore date.
        case notYetValid
        /// The leaf or the chain ends in a self-signed certificate that is not a trusted root.
        case selfSigned
        /// No chain to a trusted root could be built (missing intermediate, unknown CA).
        case untrustedIssuer
        /// The certificate does not name the expected host or address.
        case nameMismatch
        /// Any other verification error (bad signature, wrong key usage, path length, ...).
        case other
    }

    /// The class of failure.
    package let kind: Kind
    /// OpenSSL's `X509_V_ERR_*` code.
    package let code: Int
    /// OpenSSL's text for ``code``, e.g. `"certificate has expired"`.
    package let reason: String

    /// Creates a failure; ``kind`` follows from `code`.
    package init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
        self.kind = Self.kind(of: code)
    }

    /// `"<reason> (X509_V_ERR <code>)"`.
    package var description: String {
        "\(reason) (X509_V_ERR \(code))"
    }

    /// Classifies an `X509_V_ERR_*` value.
    private static func kind(of code: Int) -> Kind {
        switch Int32(clamping: code) {
        case X509_V_ERR_CERT_HAS_EXPIRED: .expired
        case X509_V_ERR_CERT_NOT_YET_VALID: .notYetValid
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: .selfSigned
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
            X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_UNTRUSTED:
            .untrustedIssuer
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_EMAIL_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH: .nameMismatch
        default: .other
        }
    }
}

package import TLS

/// One way an MX host falls short of what an MTA-STS sender requires (RFC 8461 §4.1, §4.2), as found by a probe:
/// the checker's `mx-*` findings, one case each.
///
/// ```swift
/// for issue in result.issues {
///     switch issue {
///     case .unreachable(let failure): finding("mx-unreachable", reason: "\(failure)")
///     case .startTLSMissing: finding("mx-starttls-missing")
///     case .tlsVersionTooOld(let version): finding("mx-tls-version", negotiated: version)
///     case .tlsHandshakeFailed(let failure): finding("mx-cert-invalid", reason: "\(failure)")
///     case .certificateInvalid(let failure): finding("mx-cert-invalid", reason: failure?.reason)
///     case .certificateNameMismatch(let host, let names): finding("mx-cert-name-mismatch", host, names)
///     }
/// }
/// ```
package enum SMTPProbeIssue: Sendable, Hashable, CustomStringConvertible {
    /// No address of the host could be reached for mail, or the session broke off (`mx-unreachable`): the reason
    /// is DNS, a refused or timed-out connection, a refused or missing greeting, or a later step's failure.
    case unreachable(SMTPProbeFailure)
    /// The host does not offer STARTTLS (`mx-starttls-missing`): `nil` when EHLO did not advertise it, else the
    /// reply that refused EHLO or STARTTLS.
    case startTLSMissing(SMTPReply?)
    /// The host speaks only TLS versions below 1.2 (`mx-tls-version`): `negotiated` is the version a TLS 1.0/1.1
    /// handshake agreed on (e.g. `"TLSv1.1"`), or `nil` when only the failed handshake's protocol-version error
    /// told.
    case tlsVersionTooOld(negotiated: String?)
    /// The TLS handshake failed for another reason (no shared cipher, an alert, a timeout): no sender can
    /// establish TLS, so there is no certificate to judge.
    case tlsHandshakeFailed(SMTPHandshakeFailure)
    /// The certificate chain does not verify against the trusted roots, or is outside its validity dates
    /// (`mx-cert-invalid`); `nil` when the server presented no certificate.
    case certificateInvalid(TLSVerificationFailure?)
    /// No DNS-ID of the certificate covers the MX host by RFC 8461 §4.1's rules (`mx-cert-name-mismatch`).
    case certificateNameMismatch(host: String, dnsNames: [String])

    /// A log-safe explanation.
    package var description: String {
        switch self {
        case .unreachable(let failure): "unreachable: \(failure)"
        case .startTLSMissing(let reply?): "STARTTLS not available: \(reply)"
        case .startTLSMissing(nil): "STARTTLS not offered"
        case .tlsVersionTooOld(let version?): "no TLS 1.2 or later (the host negotiated \(version))"
        case .tlsVersionTooOld(nil): "no TLS 1.2 or later"
        case .tlsHandshakeFailed(let failure): "TLS handshake failed: \(failure)"
        case .certificateInvalid(let failure?): "certificate invalid: \(failure)"
        case .certificateInvalid(nil): "no certificate presented"
        case .certificateNameMismatch(let host, let names):
            "certificate names [\(names.joined(separator: ", "))] do not cover \(host)"
        }
    }
}

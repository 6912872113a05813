package import SystemIO

/// Everything one probe of an MX host found, as a value: what a checker shows and what TLS-RPT would report.
///
/// Filled in step by step; a step that did not run leaves its fields `nil`. ``failure`` says why the probe
/// stopped before QUIT, if it did. A host that does not offer STARTTLS is not a failure of the probe: the
/// session ends with QUIT and ``isSTARTTLSOffered`` is false. ``issues`` turns all of it into what a sender
/// would object to.
///
/// ```swift
/// let result = probe.probe(host: "mx1.example.com")
/// result.issues                               // [] for a host that meets RFC 8461 §4.1
/// result.tls?.certificate?.notAfter           // for an expiry warning
/// ```
package struct SMTPProbeResult: Sendable, Hashable {
    /// The MX host probed, as given.
    package let host: String
    /// The port probed.
    package let port: UInt16
    /// Every address of the host in the order tried, with how each attempt ended.
    package var attempts: [SMTPAddressAttempt] = []
    /// Why the probe stopped before QUIT; `nil` when the session ran to its end.
    package var failure: SMTPProbeFailure?
    /// The 220 greeting of the address the probe continued with.
    package var greeting: SMTPReply?
    /// The extensions of the EHLO reply before TLS.
    package var extensionsBeforeTLS: SMTPServerExtensions?
    /// The server's reply to STARTTLS, when it was sent.
    package var startTLSReply: SMTPReply?
    /// The handshake's parameters and certificate checks, when the handshake completed.
    package var tls: SMTPProbeTLS?
    /// The extensions of the EHLO reply after TLS (RFC 3207 §4.2: the client starts afresh).
    package var extensionsAfterTLS: SMTPServerExtensions?
    /// When the handshake failed: the handshake of a second session that offered only TLS 1.0 and 1.1, if it
    /// completed (the host speaks nothing newer; ``SMTPProbeTLS/protocolVersion`` says what it does speak).
    package var legacyTLS: SMTPProbeTLS?
    /// How long the probe took, from resolving to closing.
    package var duration: Duration = .zero

    /// Creates an empty result for `host:port`.
    package init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// The address the probe was greeted by and continued with.
    package var connectedAddress: SocketAddress? {
        attempts.first { $0.outcome == .greeted }?.address
    }

    /// Whether the host was reachable for mail: an address answered with a 220 greeting.
    package var isReachable: Bool { greeting != nil }

    /// Whether the EHLO reply before TLS advertised STARTTLS.
    package var isSTARTTLSOffered: Bool { extensionsBeforeTLS?.supportsSTARTTLS ?? false }

    /// What an MTA-STS sender in enforce mode would object to; empty when the host offers STARTTLS with TLS 1.2
    /// or later and a certificate that chains to a trusted root, is within its dates and names the host.
    ///
    /// Certificate issues come together (an expired certificate for another name gives both); a host that
    /// cannot be reached or offers no TLS gives one issue. (Whether the host matches the policy's `mx`
    /// patterns is the policy's question, not the probe's.)
    package var issues: [SMTPProbeIssue] {
        guard isReachable else { return [.unreachable(failure ?? .noAddresses)] }
        if let tls {
            var issues: [SMTPProbeIssue] = []
            if let certificate = tls.certificate {
                if let chainFailure = tls.chainFailure { issues.append(.certificateInvalid(chainFailure)) }
                if tls.matchedName == nil {
                    issues.append(.certificateNameMismatch(host: host, dnsNames: certificate.dnsNames))
                }
            } else {
                issues.append(.certificateInvalid(nil))
            }
            if let failure { issues.append(.unreachable(failure)) }
            return issues
        }
        switch failure {
        case .tlsHandshakeFailed(let handshake):
            if let legacyTLS { return [.tlsVersionTooOld(negotiated: legacyTLS.protocolVersion)] }
            if handshake.reason == .protocolVersion { return [.tlsVersionTooOld(negotiated: nil)] }
            return [.tlsHandshakeFailed(handshake)]
        case .refused(.ehlo, let reply), .refused(.startTLS, let reply):
            return [.startTLSMissing(reply)]
        case let failure?:
            return [.unreachable(failure)]
        case nil:
            return isSTARTTLSOffered ? [] : [.startTLSMissing(nil)]
        }
    }
}

internal import COpenSSL

// MARK: - Client-side peer identity

extension TLSConnection {
    /// Client: requires the peer certificate to carry `address` as an iPAddress subjectAltName.
    ///
    /// For servers reached by an IP literal, which RFC 6066 section 3 forbids as SNI: create the connection
    /// without a `serverName` and call this before the handshake. Has no effect unless the context verifies peers.
    /// - Parameter address: An IPv4 or IPv6 literal without brackets.
    /// - Throws: ``TLSError/configuration`` when `address` is not an IP literal.
    package func expectPeerIPAddress(_ address: String) throws {
        ERR_clear_error()
        guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), address) == 1 else {
            throw TLSError.configuration.draining(message: "X509_VERIFY_PARAM_set1_ip_asc")
        }
    }

    /// Client: the certificate verification failure as a typed value; `nil` when verification passed or has not run.
    package var verificationFailure: TLSVerificationFailure? {
        let result = SSL_get_verify_result(ssl)
        guard result != Int(X509_V_OK) else { return nil }
        let text = X509_verify_cert_error_string(result).map { String(cString: $0) } ?? "verification error"
        return TLSVerificationFailure(code: result, reason: text)
    }

    /// Client: verifies the chain (trust, dates, signatures) without checking the server name given at creation,
    /// which is still sent as SNI.
    ///
    /// For callers that match the name by rules of their own, such as RFC 8461 §4.1's DNS-ID-only matching of
    /// an MX host (no CN fallback, a wildcard covering exactly one label); call it before the handshake.
    package func verifyChainWithoutHostName() {
        // A NULL name clears the expected host list set by init(context:fd:serverName:).
        X509_VERIFY_PARAM_set1_host(SSL_get0_param(ssl), nil, 0)
    }
}

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

    /// Client: why certificate verification failed, in OpenSSL's words (e.g. `"hostname mismatch"`,
    /// `"unable to get local issuer certificate"`); `nil` when verification passed or has not run.
    package var verificationFailureReason: String? {
        let result = SSL_get_verify_result(ssl)
        guard result != Int(X509_V_OK), let text = X509_verify_cert_error_string(result) else { return nil }
        return String(cString: text)
    }
}

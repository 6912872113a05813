internal import COpenSSL

// MARK: - Negotiated parameters

extension TLSConnection {
    /// Whether OpenSSL holds received bytes not yet returned by `read` (read-ahead), which epoll cannot report.
    package var hasBufferedInput: Bool {
        SSL_has_pending(ssl) == 1
    }

    /// Whether the handshake has finished.
    package var isHandshakeComplete: Bool {
        SSL_is_init_finished(ssl) == 1
    }

    /// The negotiated version, e.g. `"TLSv1.3"`.
    package var negotiatedProtocolVersion: String {
        String(cString: SSL_get_version(ssl))
    }

    /// The negotiated cipher, e.g. `"TLS_AES_128_GCM_SHA256"`.
    package var negotiatedCipher: String? {
        guard let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) else { return nil }
        return String(cString: name)
    }

    /// The SNI host name (as sent by the client; a client connection reports what it sent).
    package var serverName: String? {
        guard let name = SSL_get_servername(ssl, Int32(TLSEXT_NAMETYPE_host_name)) else { return nil }
        return String(cString: name)
    }

    /// The ALPN protocol agreed on, e.g. `"http/1.1"`.
    package var alpn: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The peer's leaf certificate, if it sent one.
    package var peerCertificate: TLSCertificate? {
        guard let x509 = SSL_get1_peer_certificate(ssl) else { return nil }
        return TLSCertificate(taking: x509)
    }

    /// Client: the chain verification result (`X509_V_OK` is 0).
    package var verificationResult: Int {
        SSL_get_verify_result(ssl)
    }

    /// Whether the handshake resumed a session (from a ticket).
    package var isSessionReused: Bool {
        SSL_session_reused(ssl) == 1
    }

    /// Client: the session to offer on a later connection (available once a ticket has arrived, which in
    /// TLS 1.3 happens after the handshake; read once to process it). Call ``shutdown()`` before releasing the
    /// connection: OpenSSL marks the session of a connection freed without close_notify as not resumable.
    package var session: TLSSession? {
        guard let session = SSL_get1_session(ssl) else { return nil }
        return TLSSession(taking: session)
    }

    /// Client: offers `session` for resumption; call before the handshake.
    /// - Throws: ``TLSError/configuration``.
    package func setSession(_ session: TLSSession) throws {
        ERR_clear_error()
        guard SSL_set_session(ssl, session.session) == 1 else {
            throw TLSError.configuration.draining(message: "SSL_set_session")
        }
    }
}

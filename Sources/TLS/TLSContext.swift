internal import COpenSSL
internal import COpenSSLShims
import Synchronization

/// An OpenSSL `SSL_CTX` configured as a server or client (STYLE rule 3: freed in `deinit`).
///
/// ```swift
/// let defaultContext = try TLSContext.makeServer()                       // no certificate: SNI decides
/// let hostA = try TLSContext.makeServer(certificate: pairA)
/// defaultContext.setServerNameResolver(DictionaryServerNameResolver(["mta-sts.a.test": hostA]))
/// let connection = try TLSConnection(context: defaultContext, fd: socket.fileDescriptor)
/// ```
///
/// `@unchecked Sendable`: the `SSL_CTX` is fully configured in `init` and only read afterwards (OpenSSL locks its
/// own reference count and session structures); the resolver is guarded by the `resolver` mutex and the ticket
/// keys by their own lock.
package final class TLSContext: @unchecked Sendable {
    /// Which side of the handshake connections created from this context play.
    package enum Role: Sendable, Equatable {
        case server
        case client
    }

    let context: OpaquePointer
    /// Server or client.
    package let role: Role
    /// The configuration the context was built from.
    package let configuration: TLSConfiguration
    /// The certificate installed in this context, if any.
    package let certificate: CertificateKeyPair?
    /// The ticket keys (server contexts with ``TLSConfiguration/issuesSessionTickets``). For connections created
    /// from this context, these keys are used even after SNI switched to another context.
    package let ticketKeys: TicketKeyRing?
    /// ALPN protocols as byte strings, in server preference order.
    let alpnProtocols: [[UInt8]]
    private let resolver = Mutex<(any ServerNameResolver)?>(nil)

    private init(role: Role, configuration: TLSConfiguration, certificate: CertificateKeyPair?) throws {
        let ticketKeys = role == .server && configuration.issuesSessionTickets ? try TicketKeyRing() : nil
        ERR_clear_error()
        guard let context = SSL_CTX_new(role == .server ? TLS_server_method() : TLS_client_method()) else {
            throw TLSError.configuration.draining(message: "SSL_CTX_new")
        }
        self.context = context
        self.role = role
        self.configuration = configuration
        self.certificate = certificate
        self.alpnProtocols = configuration.alpnProtocols.map { Array($0.utf8) }
        self.ticketKeys = ticketKeys
        // Index 0 is the slot SSL_CTX_set_app_data uses; callbacks recover `self` from it (unretained: every
        // connection holds a strong reference to the contexts its SSL uses).
        SSL_CTX_set_ex_data(context, 0, Unmanaged.passUnretained(self).toOpaque())
        try applyCommon(configuration)
        switch role {
        case .server: try applyServer(configuration)
        case .client: try applyClient(configuration)
        }
        if let certificate {
            try install(certificate)
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// Creates a server context. Without a certificate it serves only through its ``ServerNameResolver``.
    /// - Throws: ``TLSError`` when OpenSSL rejects the configuration or the certificate.
    package static func makeServer(
        certificate: CertificateKeyPair? = nil,
        configuration: TLSConfiguration = .server
    ) throws -> TLSContext {
        try TLSContext(role: .server, configuration: configuration, certificate: certificate)
    }

    /// Creates a client context that verifies peers against `configuration.trustRoots`.
    /// - Throws: ``TLSError/configuration`` (e.g. an unreadable CA file).
    package static func makeClient(configuration: TLSConfiguration = .client()) throws -> TLSContext {
        try TLSContext(role: .client, configuration: configuration, certificate: nil)
    }

    /// Makes a new ticket key current; the previous current key still decrypts (see ``TicketKeyRing``).
    package func rotateTicketKeys() throws {
        try ticketKeys?.rotate()
    }

    // MARK: - Server name resolution

    /// Replaces the SNI resolver atomically; handshakes already past their ClientHello keep their context.
    package func setServerNameResolver(_ newResolver: (any ServerNameResolver)?) {
        resolver.withLock { $0 = newResolver }
    }

    /// The current SNI resolver.
    package var serverNameResolver: (any ServerNameResolver)? {
        resolver.withLock { $0 }
    }

    /// Recovers the Swift owner of an `SSL_CTX` created by this type.
    static func owner(of context: OpaquePointer) -> TLSContext {
        guard let raw = SSL_CTX_get_ex_data(context, 0) else {
            preconditionFailure("SSL_CTX without its TLSContext owner in ex_data slot 0")
        }
        return Unmanaged<TLSContext>.fromOpaque(raw).takeUnretainedValue()
    }

    // MARK: - Configuration

    private func applyCommon(_ configuration: TLSConfiguration) throws {
        try check(
            COpenSSLShims_SSL_CTX_set_min_proto_version(context, configuration.minimumVersion.wireValue) == 1,
            "SSL_CTX_set_min_proto_version"
        )
        if let maximum = configuration.maximumVersion {
            try check(
                COpenSSLShims_SSL_CTX_set_max_proto_version(context, maximum.wireValue) == 1,
                "SSL_CTX_set_max_proto_version"
            )
        }
        try check(SSL_CTX_set_cipher_list(context, configuration.cipherList) == 1, "SSL_CTX_set_cipher_list")
        try check(SSL_CTX_set_ciphersuites(context, configuration.cipherSuites) == 1, "SSL_CTX_set_ciphersuites")
        try check(
            COpenSSLShims_SSL_CTX_set1_groups_list(context, configuration.groups) == 1,
            "SSL_CTX_set1_groups_list"
        )
        let mode =
            Int(SSL_MODE_ENABLE_PARTIAL_WRITE) | Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER)
            | Int(SSL_MODE_RELEASE_BUFFERS)
        _ = COpenSSLShims_SSL_CTX_set_mode(context, mode)
        if role == .server {
            // Read whole socket buffers instead of one record header and body at a time (one read(2) per
            // request instead of two). Servers must then ask `hasBufferedInput` before waiting for epoll, since
            // read-ahead data sits inside OpenSSL where epoll cannot see it. Clients keep it off because they
            // wait with poll(2) alone.
            _ = SSL_CTX_ctrl(context, SSL_CTRL_SET_READ_AHEAD, 1, nil)
            // One TLS 1.3 ticket per handshake instead of OpenSSL's two: policy fetchers rarely resume, and
            // each ticket costs an encryption and a MAC.
            _ = SSL_CTX_set_num_tickets(context, 1)
        }
        _ = SSL_CTX_set_options(
            context,
            COpenSSLShims_SSL_OP_NO_COMPRESSION() | COpenSSLShims_SSL_OP_NO_RENEGOTIATION()
        )
    }

    private func applyServer(_ configuration: TLSConfiguration) throws {
        _ = SSL_CTX_set_options(context, COpenSSLShims_SSL_OP_CIPHER_SERVER_PREFERENCE())
        // Tickets only: no server-side session cache, so nothing per-session is kept in memory.
        _ = COpenSSLShims_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_OFF))
        _ = COpenSSLShims_SSL_CTX_set_tlsext_servername_callback(context) { ssl, alert, _ in
            TLSContext.selectContext(ssl: ssl, alert: alert)
        }
        if !alpnProtocols.isEmpty {
            SSL_CTX_set_alpn_select_cb(
                context,
                { ssl, out, outLength, offered, offeredLength, _ in
                    TLSContext.selectALPN(
                        ssl: ssl,
                        out: out,
                        outLength: outLength,
                        offered: offered,
                        offeredLength: offeredLength
                    )
                },
                nil
            )
        }
        if ticketKeys != nil {
            let installed = SSL_CTX_set_tlsext_ticket_key_evp_cb(context) { ssl, name, iv, cipher, mac, encrypt in
                TLSContext.handleTicketKey(ssl: ssl, name: name, iv: iv, cipher: cipher, mac: mac, encrypt: encrypt)
            }
            try check(
                installed == 1,
                "SSL_CTX_set_tlsext_ticket_key_evp_cb"
            )
        } else {
            // No TLS 1.2 tickets (NO_TICKET) and no TLS 1.3 tickets (num_tickets 0): no resumption at all.
            _ = SSL_CTX_set_options(context, COpenSSLShims_SSL_OP_NO_TICKET())
            _ = SSL_CTX_set_num_tickets(context, 0)
        }
    }

    private func applyClient(_ configuration: TLSConfiguration) throws {
        if configuration.verifiesPeer {
            // SSL_VERIFY_NONE on a client still verifies the chain against the loaded roots and records the
            // result (SSL_get_verify_result); it only does not abort the handshake on failure.
            let mode = configuration.completesHandshakeOnVerificationFailure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER
            SSL_CTX_set_verify(context, mode, nil)
            switch configuration.trustRoots {
            case .systemDefault:
                try check(SSL_CTX_set_default_verify_paths(context) == 1, "SSL_CTX_set_default_verify_paths")
            case .file(let path):
                try check(SSL_CTX_load_verify_locations(context, path, nil) == 1, "SSL_CTX_load_verify_locations")
            }
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
        let wire = configuration.alpnWireFormat
        if !wire.isEmpty {
            // Unusually, SSL_CTX_set_alpn_protos returns 0 on success.
            try check(SSL_CTX_set_alpn_protos(context, wire, UInt32(wire.count)) == 0, "SSL_CTX_set_alpn_protos")
        }
    }

    private func install(_ pair: CertificateKeyPair) throws {
        ERR_clear_error()
        guard SSL_CTX_use_certificate(context, pair.leaf.x509) == 1 else {
            throw TLSError.invalidCertificate.draining(message: "SSL_CTX_use_certificate")
        }
        for intermediate in pair.chain.dropFirst() {
            // add1 takes its own reference, so the chain array keeps ownership of its X509s.
            guard COpenSSLShims_SSL_CTX_add1_chain_cert(context, intermediate.x509) == 1 else {
                throw TLSError.invalidCertificate.draining(message: "SSL_CTX_add1_chain_cert")
            }
        }
        guard SSL_CTX_use_PrivateKey(context, pair.privateKey.key) == 1,
            SSL_CTX_check_private_key(context) == 1
        else {
            throw TLSError.invalidPrivateKey.draining(message: "SSL_CTX_use_PrivateKey")
        }
    }

    private func check(_ succeeded: Bool, _ function: String) throws {
        if !succeeded {
            throw TLSError.configuration.draining(message: function)
        }
    }
}

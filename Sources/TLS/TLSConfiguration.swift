/// A TLS protocol version.
package enum TLSVersion: Sendable, Comparable {
    case tls1
    case tls11
    case tls12
    case tls13

    /// The wire value (`TLS1_2_VERSION`, ...).
    var wireValue: Int32 {
        switch self {
        case .tls1: return 0x0301
        case .tls11: return 0x0302
        case .tls12: return 0x0303
        case .tls13: return 0x0304
        }
    }
}

/// Where a client finds the certificate authorities it trusts.
package enum TLSTrustRoots: Sendable, Equatable {
    /// OpenSSL's default paths (`/etc/ssl/certs` on Debian).
    case systemDefault
    /// A PEM bundle file.
    case file(String)
}

/// Settings applied when a ``TLSContext`` is created; the defaults are the edge's policy.
///
/// ```swift
/// var configuration = TLSConfiguration.server
/// configuration.alpnProtocols = ["http/1.1"]
/// ```
package struct TLSConfiguration: Sendable {
    /// Lowest version accepted (TLS 1.2: RFC 8461 section 3.3 requires 1.2 or later).
    package var minimumVersion: TLSVersion = .tls12
    /// Highest version offered or accepted; `nil` means the library's highest (TLS 1.3).
    package var maximumVersion: TLSVersion? = nil
    /// TLS 1.2 cipher list: ECDHE with AES-GCM or ChaCha20-Poly1305 only (forward secrecy, AEAD).
    package var cipherList = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
    /// TLS 1.3 cipher suites.
    package var cipherSuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    /// Key-exchange groups in preference order.
    package var groups = "X25519:P-256:P-384"
    /// ALPN protocols in preference order (a server selects the first the client also offers).
    package var alpnProtocols = ["http/1.1"]
    /// Server: issue session tickets encrypted with the context's ``TicketKeyRing``.
    package var issuesSessionTickets = true
    /// Client: verify the server's chain and host name.
    package var verifiesPeer = true
    /// Client: the trusted roots when ``verifiesPeer`` is set.
    package var trustRoots = TLSTrustRoots.systemDefault
    /// Client, with ``verifiesPeer``: finish the handshake even when verification fails, leaving the verdict in
    /// `TLSConnection.verificationFailure`. For diagnostics that must see the whole certificate and the
    /// negotiated parameters (the MX probe); never for a connection that then carries data.
    package var completesHandshakeOnVerificationFailure = false

    /// The defaults.
    package init() {}

    /// The server policy: TLS 1.2+, AEAD-only ECDHE suites, X25519/P-256/P-384, ALPN `http/1.1`, tickets on.
    package static var server: TLSConfiguration { TLSConfiguration() }

    /// A verifying client trusting `trustRoots`.
    package static func client(trustRoots: TLSTrustRoots = .systemDefault) -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.trustRoots = trustRoots
        return configuration
    }

    /// ALPN protocols in wire format (length-prefixed, concatenated).
    var alpnWireFormat: [UInt8] {
        alpnProtocols.flatMap { name -> [UInt8] in
            let bytes = Array(name.utf8)
            return [UInt8(truncatingIfNeeded: bytes.count)] + bytes
        }
    }
}

internal import COpenSSL
import Glibc

// MARK: - OpenSSL callbacks
//
// C callbacks cannot capture; each closure passed to OpenSSL forwards to one of these static functions, which
// recover their Swift owners with Unmanaged (TLSContext from SSL_CTX ex_data, TLSConnection from SSL ex_data).

extension TLSContext {
    /// Servername callback (runs for every ClientHello, with or without SNI).
    ///
    /// Looks the lower-cased name up in the resolver and switches the connection to that context. An unknown name
    /// aborts with `unrecognized_name` (RFC 6066 section 3): never another host's certificate (RFC 8461 section
    /// 3.3); so does a missing one unless the resolver has a context for that (an SMTP server's one name). A
    /// context without resolver serves its own certificate, if it has one.
    static func selectContext(ssl: OpaquePointer?, alert: UnsafeMutablePointer<Int32>?) -> Int32 {
        guard let ssl, let sslContext = SSL_get_SSL_CTX(ssl) else {
            return SSL_TLSEXT_ERR_ALERT_FATAL
        }
        let context = TLSContext.owner(of: sslContext)
        func reject(_ description: UInt8) -> Int32 {
            alert?.pointee = Int32(description)
            return SSL_TLSEXT_ERR_ALERT_FATAL
        }
        guard let resolver = context.serverNameResolver else {
            return context.certificate == nil ? reject(TLSAlert.unrecognizedName) : SSL_TLSEXT_ERR_OK
        }
        let found: TLSContext?
        if let rawName = SSL_get_servername(ssl, Int32(TLSEXT_NAMETYPE_host_name)) {
            found = resolver.context(forServerName: HostName.normalized(String(cString: rawName)))
        } else {
            found = resolver.contextWithoutServerName
        }
        guard let selected = found, selected.role == .server, selected.certificate != nil else {
            return reject(TLSAlert.unrecognizedName)
        }
        if selected !== context {
            guard SSL_set_SSL_CTX(ssl, selected.context) != nil else {
                return reject(TLSAlert.internalError)
            }
            TLSConnection.owner(of: ssl).selectedContext = selected
        }
        return SSL_TLSEXT_ERR_OK
    }

    /// ALPN select callback: the first of this context's protocols that the client offered (server preference).
    static func selectALPN(
        ssl: OpaquePointer?,
        out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
        outLength: UnsafeMutablePointer<UInt8>?,
        offered: UnsafePointer<UInt8>?,
        offeredLength: UInt32
    ) -> Int32 {
        guard let ssl, let sslContext = SSL_get_SSL_CTX(ssl), let out, let outLength, let offered else {
            return SSL_TLSEXT_ERR_NOACK
        }
        let offers = UnsafeBufferPointer(start: offered, count: Int(offeredLength))
        for wanted in TLSContext.owner(of: sslContext).alpnProtocols {
            var index = 0
            while index < offers.count {
                let length = Int(offers[index])
                let start = index + 1
                guard start + length <= offers.count else { break }
                if length == wanted.count, offers[start..<start + length].elementsEqual(wanted) {
                    // Points into the client's list, which OpenSSL keeps alive while it copies the selection.
                    out.pointee = offered + start
                    outLength.pointee = UInt8(length)
                    return SSL_TLSEXT_ERR_OK
                }
                index = start + length
            }
        }
        return SSL_TLSEXT_ERR_NOACK
    }

    /// Session-ticket key callback (`SSL_CTX_set_tlsext_ticket_key_evp_cb`): AES-256-CBC + HMAC-SHA256.
    ///
    /// Encrypt: returns 1 after filling in the current key's name and a random IV. Decrypt: returns 2 for the
    /// current or the previous key (accept, then issue a fresh ticket), 0 for an unknown key (full handshake),
    /// -1 on an internal error.
    ///
    /// A resumed connection always gets a fresh ticket. Clients use a TLS 1.3 ticket once (RFC 8446 §C.4;
    /// OpenSSL's client does), so with 1 ("valid, no renewal") OpenSSL sends no ticket on resumption and every
    /// second connection of such a client was a full handshake, with the certificate and its signature.
    ///
    /// AES-256-CBC fetched once: `EVP_aes_256_cbc()` makes OpenSSL 3 look the algorithm up by name on every
    /// init (string compares under a lock), which showed in handshake profiles. Immutable after creation and
    /// reference-counted by OpenSSL, so sharing it across threads is safe.
    nonisolated(unsafe) private static let ticketCipher: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-256-CBC", nil)

    static func handleTicketKey(
        ssl: OpaquePointer?,
        name: UnsafeMutablePointer<UInt8>?,
        iv: UnsafeMutablePointer<UInt8>?,
        cipher: OpaquePointer?,
        mac: OpaquePointer?,
        encrypt: Int32
    ) -> Int32 {
        guard let ssl, let name, let iv, let cipher, let mac else { return -1 }
        // The connection's original context owns the keys even after SNI switched SSL_CTX (OpenSSL likewise
        // uses the session context, not the switched one, for tickets).
        guard let ring = TLSConnection.owner(of: ssl).context.ticketKeys else { return 0 }
        let ticketCipher = Self.ticketCipher ?? EVP_aes_256_cbc()
        let ivLength = Int(EVP_CIPHER_get_iv_length(ticketCipher))
        if encrypt == 1 {
            let key = ring.currentKey
            UnsafeMutableRawBufferPointer(start: name, count: TicketKeyRing.Key.nameLength).copyBytes(from: key.name)
            guard RAND_bytes(iv, Int32(ivLength)) == 1,
                EVP_EncryptInit_ex(cipher, ticketCipher, nil, key.encryptionKey, iv) == 1,
                configureMAC(mac, key: key.macKey)
            else { return -1 }
            return 1
        }
        let keyName = UnsafeRawBufferPointer(start: name, count: TicketKeyRing.Key.nameLength)
        guard let key = ring.key(named: keyName) else { return 0 }
        guard configureMAC(mac, key: key.macKey),
            EVP_DecryptInit_ex(cipher, ticketCipher, nil, key.encryptionKey, iv) == 1
        else { return -1 }
        return 2
    }

    private static func configureMAC(_ mac: OpaquePointer, key: [UInt8]) -> Bool {
        var keyBytes = key
        // OSSL_PARAM stores the pointers, so every string and buffer must outlive EVP_MAC_CTX_set_params.
        return keyBytes.withUnsafeMutableBytes { keyBuffer in
            "key".withCString { keyName in
                "digest".withCString { digestName in
                    "SHA256".withCString { digest in
                        var parameters = [
                            OSSL_PARAM_construct_octet_string(keyName, keyBuffer.baseAddress, keyBuffer.count),
                            OSSL_PARAM_construct_utf8_string(digestName, UnsafeMutablePointer(mutating: digest), 0),
                            OSSL_PARAM_construct_end(),
                        ]
                        return EVP_MAC_CTX_set_params(mac, &parameters) == 1
                    }
                }
            }
        }
    }
}

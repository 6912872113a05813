package import Crypto

/// A JWS in flattened JSON serialization (RFC 7515 §7.2.2) as every ACME POST body carries it (RFC 8555 §6.2).
///
/// Building one is pure: header and payload in, signed object out. POST-as-GET uses an empty payload, whose
/// base64url form is the empty string (§6.3).
///
/// ```swift
/// let jws = try JWS.sign(header: header, payload: Array(#"{"status":"deactivated"}"#.utf8), key: accountKey)
/// let body = try jws.serialized()    // {"payload":"…","protected":"…","signature":"…"}
/// ```
package struct JWS: Codable, Sendable, Equatable {
    /// base64url of the protected header JSON.
    package var protected: String
    /// base64url of the payload; `""` for POST-as-GET.
    package var payload: String
    /// base64url of the signature.
    package var signature: String

    /// Creates a JWS from its three encoded parts.
    package init(protected: String, payload: String, signature: String) {
        self.protected = protected
        self.payload = payload
        self.signature = signature
    }

    /// The JWS signing input, `ASCII(protected "." payload)` (RFC 7515 §5.1).
    package var signingInput: [UInt8] {
        Array((protected + "." + payload).utf8)
    }

    /// Signs `payload` with an ES256 account key (RFC 7518 §3.4: the signature is raw `r ‖ s`, 64 bytes).
    ///
    /// - Parameters:
    ///   - header: The protected header; its algorithm must be ``JWSProtectedHeader/Algorithm/es256``.
    ///   - payload: The payload bytes; empty for POST-as-GET.
    ///   - key: The account key (or the certificate key for revocation).
    /// - Throws: ``ACMEError/Code/invalidRequest`` for another algorithm, ``ACMEError/Code/cryptography`` when
    ///   signing fails.
    package static func sign(header: JWSProtectedHeader, payload: [UInt8], key: P256PrivateKey) throws -> JWS {
        guard header.algorithm == .es256 else {
            throw ACMEError(.invalidRequest, "account signatures use ES256, not \(header.algorithm.rawValue)")
        }
        var jws = JWS(
            protected: Base64URL.encode(try ACMEJSON.encode(header)),
            payload: Base64URL.encode(payload),
            signature: ""
        )
        do {
            jws.signature = Base64URL.encode(try key.signatureRaw(for: jws.signingInput))
        } catch {
            throw ACMEError(.cryptography, "ES256 signing failed", underlying: error)
        }
        return jws
    }

    /// Signs `payload` with HS256 under `macKey` (RFC 7518 §3.2), as the inner JWS of External Account Binding.
    ///
    /// - Throws: ``ACMEError/Code/invalidRequest`` for another algorithm, ``ACMEError/Code/cryptography`` when
    ///   the MAC fails.
    package static func authenticate(header: JWSProtectedHeader, payload: [UInt8], macKey: [UInt8]) throws -> JWS {
        guard header.algorithm == .hs256 else {
            throw ACMEError(.invalidRequest, "external account binding uses HS256, not \(header.algorithm.rawValue)")
        }
        var jws = JWS(
            protected: Base64URL.encode(try ACMEJSON.encode(header)),
            payload: Base64URL.encode(payload),
            signature: ""
        )
        do {
            jws.signature = Base64URL.encode(try HMAC.sha256(key: macKey, data: jws.signingInput))
        } catch {
            throw ACMEError(.cryptography, "HS256 MAC failed", underlying: error)
        }
        return jws
    }

    /// The flattened JSON serialization: the request body, sent as `application/jose+json`.
    package func serialized() throws -> [UInt8] {
        try ACMEJSON.encode(self)
    }

    // MARK: - Inspection

    /// Parses a flattened JSON JWS (for example a request a test server received).
    package init(serialized bytes: [UInt8]) throws {
        self = try ACMEJSON.decode(JWS.self, from: bytes, what: "JWS")
    }

    /// The decoded protected header.
    ///
    /// - Throws: ``ACMEError/Code/invalidResponse`` when it is not base64url JSON or breaks the jwk/kid rule.
    package func decodedHeader() throws -> JWSProtectedHeader {
        guard let bytes = Base64URL.decode(protected) else {
            throw ACMEError(.invalidResponse, "protected header is not unpadded base64url")
        }
        return try ACMEJSON.decode(JWSProtectedHeader.self, from: bytes, what: "JWS protected header")
    }

    /// The decoded payload bytes (empty for POST-as-GET), or `nil` when it is not unpadded base64url.
    package var decodedPayload: [UInt8]? {
        Base64URL.decode(payload)
    }

    /// Whether ``signature`` is a valid ES256 signature of the signing input under `publicKey`.
    package func isValidSignature(publicKey: P256PublicKey) -> Bool {
        guard let signature = Base64URL.decode(signature) else { return false }
        return publicKey.isValidSignature(signature, for: signingInput)
    }

    /// Whether ``signature`` is a valid HS256 MAC of the signing input under `macKey` (constant-time comparison).
    package func isValidMAC(macKey: [UInt8]) -> Bool {
        guard let signature = Base64URL.decode(signature) else { return false }
        return (try? HMAC.isValidSHA256(signature, key: macKey, data: signingInput)) ?? false
    }
}

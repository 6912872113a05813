package import Crypto

/// External Account Binding credentials (RFC 8555 §7.3.4): a key identifier and an HMAC key issued by the CA
/// (ZeroSSL, Google Trust Services, ...), proving that a new ACME account belongs to an existing CA customer.
///
/// ```swift
/// let binding = try ExternalAccountBinding(keyID: "kid-1", macKeyBase64URL: "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W")
/// let inner = try binding.jws(accountKey: accountKey.publicKey, newAccountURL: directory.newAccount)
/// ```
package struct ExternalAccountBinding: Sendable, Equatable, CustomStringConvertible {
    /// The key identifier the CA issued (`kid` of the inner JWS).
    package let keyID: String
    /// The HMAC key bytes.
    let macKey: [UInt8]

    /// Creates credentials from the raw MAC key.
    ///
    /// - Throws: ``ACMEError/Code/invalidConfiguration`` when the key id or MAC key is empty.
    package init(keyID: String, macKey: [UInt8]) throws {
        guard !keyID.isEmpty, !macKey.isEmpty else {
            throw ACMEError(.invalidConfiguration, "external account binding needs a key id and a non-empty HMAC key")
        }
        self.keyID = keyID
        self.macKey = macKey
    }

    /// Creates credentials from the base64url MAC key as CAs hand it out (a trailing `=` padding is tolerated
    /// because some CA dashboards show padded keys).
    ///
    /// - Throws: ``ACMEError/Code/invalidConfiguration`` when the key is not base64url.
    package init(keyID: String, macKeyBase64URL: String) throws {
        var text = Substring(macKeyBase64URL)
        while text.hasSuffix("=") { text = text.dropLast() }
        guard let key = Base64URL.decode(text) else {
            throw ACMEError(.invalidConfiguration, "external account binding HMAC key is not base64url")
        }
        try self.init(keyID: keyID, macKey: key)
    }

    /// The inner JWS for the newAccount payload's `externalAccountBinding` field (§7.3.4): protected header
    /// `{"alg":"HS256","kid":<keyID>,"url":<newAccount URL>}` without nonce, payload = the account's public JWK,
    /// MAC = HMAC-SHA-256 under the EAB key.
    package func jws(accountKey: P256PublicKey, newAccountURL: String) throws -> JWS {
        let header = JWSProtectedHeader(algorithm: .hs256, key: .keyID(keyID), nonce: nil, url: newAccountURL)
        let payload = try ACMEJSON.encode(JSONWebKey(publicKey: accountKey))
        return try JWS.authenticate(header: header, payload: payload, macKey: macKey)
    }

    /// Names the key id only; the MAC key never appears in logs.
    package var description: String { "ExternalAccountBinding(keyID: \(keyID))" }
}

/// The protected header of an ACME JWS (RFC 8555 §6.2): `alg`, `nonce`, `url` and exactly one of `jwk` or `kid`.
///
/// "Exactly one" is enforced by the type: ``KeyIdentification`` is either an embedded key or an account URL.
///
/// ```swift
/// let header = JWSProtectedHeader(algorithm: .es256, key: .accountURL(accountURL), nonce: nonce, url: orderURL)
/// ```
package struct JWSProtectedHeader: Codable, Sendable, Equatable {
    /// How the server finds the verification key.
    package enum KeyIdentification: Sendable, Equatable {
        /// The public key itself: newAccount and revocation with the certificate key (§6.2).
        case jwk(JSONWebKey)
        /// The account URL (`kid`): every other request.
        case accountURL(String)
        /// A key identifier that is not an account URL: the EAB key id of the inner JWS (§7.3.4).
        case keyID(String)
    }

    /// JWS algorithms used here: ES256 for account signatures, HS256 only inside External Account Binding.
    package struct Algorithm: Hashable, Sendable, Codable {
        /// The `alg` value.
        package let rawValue: String

        private init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        /// ECDSA P-256 with SHA-256 (RFC 7518 §3.4), raw `r ‖ s` signature.
        package static let es256 = Algorithm("ES256")
        /// HMAC with SHA-256 (RFC 7518 §3.2), only for External Account Binding.
        package static let hs256 = Algorithm("HS256")

        /// Decodes any `alg` string (verification rejects the unknown ones).
        package init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        /// Encodes the `alg` string.
        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    /// `alg`.
    package var algorithm: Algorithm
    /// `jwk` or `kid`.
    package var key: KeyIdentification
    /// `nonce`; absent only in the inner EAB JWS (§7.3.4).
    package var nonce: String?
    /// `url`: the exact request URL.
    package var url: String

    /// Creates a header.
    package init(algorithm: Algorithm, key: KeyIdentification, nonce: String?, url: String) {
        self.algorithm = algorithm
        self.key = key
        self.nonce = nonce
        self.url = url
    }

    private enum CodingKeys: String, CodingKey {
        case alg, jwk, kid, nonce, url
    }

    /// Decodes a header, rejecting one with both or neither of `jwk` and `kid` (§6.2).
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        algorithm = try container.decode(Algorithm.self, forKey: .alg)
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce)
        url = try container.decode(String.self, forKey: .url)
        let jwk = try container.decodeIfPresent(JSONWebKey.self, forKey: .jwk)
        let kid = try container.decodeIfPresent(String.self, forKey: .kid)
        switch (jwk, kid) {
        case (let jwk?, nil):
            key = .jwk(jwk)
        case (nil, let kid?):
            key = kid.hasPrefix("https://") || kid.hasPrefix("http://") ? .accountURL(kid) : .keyID(kid)
        default:
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "a JWS header needs exactly one of jwk and kid")
            )
        }
    }

    /// Encodes `alg`, one of `jwk`/`kid`, `nonce` when present, and `url`.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(algorithm, forKey: .alg)
        switch key {
        case .jwk(let jwk): try container.encode(jwk, forKey: .jwk)
        case .accountURL(let url): try container.encode(url, forKey: .kid)
        case .keyID(let id): try container.encode(id, forKey: .kid)
        }
        try container.encodeIfPresent(nonce, forKey: .nonce)
        try container.encode(url, forKey: .url)
    }
}

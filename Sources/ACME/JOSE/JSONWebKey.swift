package import Crypto

/// A public JSON Web Key (RFC 7517) with the members ACME needs, and its RFC 7638 thumbprint.
///
/// ACME account keys here are always P-256 (``init(publicKey:)``), but the thumbprint is computed generically from
/// the required members of `EC`, `RSA` and `oct` keys so keys received from elsewhere can be checked too.
///
/// ```swift
/// let jwk = JSONWebKey(publicKey: accountKey.publicKey)
/// let thumbprint = try jwk.thumbprint()    // base64url(SHA-256(canonical JSON))
/// ```
package struct JSONWebKey: Codable, Sendable, Equatable {
    /// Key type: `EC`, `RSA` or `oct`.
    package var kty: String
    /// Curve for `EC` keys (`P-256`).
    package var crv: String?
    /// EC x coordinate, base64url.
    package var x: String?
    /// EC y coordinate, base64url.
    package var y: String?
    /// RSA modulus, base64url.
    package var n: String?
    /// RSA public exponent, base64url.
    package var e: String?
    /// Symmetric key value, base64url (`oct`).
    package var k: String?

    /// Creates a JWK from its members.
    package init(
        kty: String,
        crv: String? = nil,
        x: String? = nil,
        y: String? = nil,
        n: String? = nil,
        e: String? = nil,
        k: String? = nil
    ) {
        self.kty = kty
        self.crv = crv
        self.x = x
        self.y = y
        self.n = n
        self.e = e
        self.k = k
    }

    /// The `EC`/`P-256` JWK of `publicKey` (RFC 7518 §6.2.1).
    package init(publicKey: P256PublicKey) {
        self.init(kty: "EC", crv: "P-256", x: Base64URL.encode(publicKey.x), y: Base64URL.encode(publicKey.y))
    }

    /// The canonical JSON of the required members in lexicographic order without whitespace (RFC 7638 §3.2).
    ///
    /// - Throws: ``ACMEError/Code/invalidRequest`` when a required member is missing or the type is unknown.
    package func canonicalJSON() throws -> String {
        func member(_ name: String, _ value: String?) throws -> String {
            guard let value else {
                throw ACMEError(.invalidRequest, "JWK of type \(kty) lacks required member \(name)")
            }
            // Base64url values and the fixed names need no JSON escaping; reject anything that would.
            guard !value.contains(where: { $0 == "\"" || $0 == "\\" || $0.asciiValue.map { $0 < 0x20 } ?? true })
            else {
                throw ACMEError(.invalidRequest, "JWK member \(name) is not a plain ASCII string")
            }
            return "\"\(name)\":\"\(value)\""
        }
        let members: [String]
        switch kty {
        case "EC": members = [try member("crv", crv), try member("kty", kty), try member("x", x), try member("y", y)]
        case "RSA": members = [try member("e", e), try member("kty", kty), try member("n", n)]
        case "oct": members = [try member("k", k), try member("kty", kty)]
        default: throw ACMEError(.invalidRequest, "unsupported JWK type \(kty)")
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// The RFC 7638 thumbprint: base64url(SHA-256(``canonicalJSON()``)), as in ACME key authorizations (RFC 8555
    /// §8.1).
    package func thumbprint() throws -> String {
        Base64URL.encode(Digest.sha256(try canonicalJSON()))
    }

    /// The P-256 public key of an `EC` JWK, for verifying signatures.
    ///
    /// - Throws: ``ACMEError/Code/invalidRequest`` for another key type or undecodable coordinates.
    package func p256PublicKey() throws -> P256PublicKey {
        guard kty == "EC", crv == "P-256", let x = x.flatMap(Base64URL.decode), let y = y.flatMap(Base64URL.decode)
        else {
            throw ACMEError(.invalidRequest, "JWK is not a P-256 EC key")
        }
        do {
            return try P256PublicKey(x: x, y: y)
        } catch {
            throw ACMEError(.invalidRequest, "JWK is not a valid P-256 point", underlying: error)
        }
    }
}

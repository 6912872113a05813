import Crypto
package import HTTPCore
package import Store

/// The caller behind a request's bearer token.
package struct Authenticated: Sendable {
    package let account: AccountRecord
    package let token: TokenRecord
}

/// Bearer tokens: `mts_` + base64url of 32 random bytes, stored as SHA-256.
package enum BearerToken {
    /// The prefix that makes tokens recognisable in logs and to secret scanners.
    package static let prefix = "mts_"

    /// A new secret and its digest.
    package static func generate() throws -> (secret: String, sha256: [UInt8]) {
        let secret = try SecureRandom.token(prefix: prefix, byteCount: 32)
        return (secret, Digest.sha256(secret))
    }

    /// The digest of a presented secret, or nil when it is not shaped like one of ours.
    static func digest(of secret: Substring) -> [UInt8]? {
        guard secret.hasPrefix(prefix), let bytes = Base64URL.decode(secret.dropFirst(prefix.count)),
            bytes.count == 32
        else { return nil }
        return Digest.sha256(String(secret))
    }
}

extension RequestContext {
    /// The account behind `Authorization: Bearer <token>`.
    /// - Throws: 401 (with `WWW-Authenticate`) when the header is missing, malformed, unknown or expired; 403
    ///   `account-suspended` when the operator has suspended the account (the token stays valid for later).
    package func authenticate(_ request: HTTPRequest) throws -> Authenticated {
        guard let header = request.head.fields[.authorization] else {
            throw APIError.unauthorized("Send Authorization: Bearer <token>.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("The Authorization header must use the Bearer scheme.")
        }
        guard let digest = BearerToken.digest(of: parts[1].drop { $0 == " " }) else {
            throw APIError.unauthorized("The bearer token is malformed.")
        }
        guard let found = try store.tokens.authenticate(sha256: digest, at: now) else {
            throw APIError.unauthorized("The bearer token is unknown, revoked or expired.")
        }
        if found.account.suspendedAt != nil { throw APIError.accountSuspended }
        audit.attribute(to: found.token)
        return Authenticated(account: found.account, token: found.token)
    }
}

extension Authenticated {
    /// Refuses API tokens where only a login session may act: minting tokens, changing the password, managing
    /// sessions, closing the account. A leaked automation token then cannot turn itself into a lasting one.
    /// - Throws: 403 `session-required`.
    package func requireSession() throws {
        guard token.kind == .session else {
            throw APIError(
                .forbidden,
                "session-required",
                title: "Session required",
                detail: "API tokens cannot do this; sign in with the account's password (POST /v1/sessions)."
            )
        }
    }
}

extension RequestContext {
    /// The key per-client limits count under: the client's address, through trusted proxies (an IPv6 address by
    /// its /64, which one client controls).
    package func clientKey(_ request: HTTPRequest) -> String {
        String(ClientAddress.limitKey(request.clientAddress).prefix(64))
    }
}

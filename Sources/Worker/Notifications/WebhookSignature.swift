import Crypto

/// The `X-MTASTS-Signature` of a webhook delivery: `sha256=` and the lower-case hex HMAC-SHA256, keyed with the
/// webhook's secret (the `whsec_…` string as UTF-8), over the `X-MTASTS-Timestamp` value, a dot, and the body.
///
/// Signing the timestamp with the body lets a receiver refuse replays: it recomputes the HMAC, compares in
/// constant time, and rejects a timestamp more than a few minutes from its own clock (`docs/api.md`).
///
/// ```swift
/// let signature = try WebhookSignature.header(secret: Array(secret.utf8), timestamp: 1_767_225_600, body: body)
/// // "sha256=5f2b…"
/// ```
package enum WebhookSignature {
    /// `sha256=<hex>` over `"<timestamp>." + body`.
    /// - Throws: `CryptoError` when OpenSSL cannot compute the MAC.
    package static func header(secret: [UInt8], timestamp: Int, body: [UInt8]) throws -> String {
        "sha256=" + Hex.encode(try HMAC.sha256(key: secret, data: Array("\(timestamp).".utf8) + body))
    }
}

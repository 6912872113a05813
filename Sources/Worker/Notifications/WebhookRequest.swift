package import Foundation
package import HTTPCore
package import Store
package import WebClient

/// The POST of one webhook delivery: the event's JSON and the headers a receiver routes and verifies it by.
///
/// | header | value |
/// | --- | --- |
/// | `Content-Type` | `application/json` |
/// | `X-MTASTS-Event` | the event type: `alert.opened`, `alert.resolved`, `test` |
/// | `X-MTASTS-Delivery` | the delivery id, the same on every attempt of one delivery |
/// | `X-MTASTS-Timestamp` | Unix seconds when this attempt was made |
/// | `X-MTASTS-Signature` | ``WebhookSignature`` over the timestamp and the body |
///
/// `User-Agent: mtasts-webhooks` comes from the client.
package enum WebhookRequest {
    /// `X-MTASTS-Event`.
    package static let eventField = HTTPField.Name("X-MTASTS-Event")
    /// `X-MTASTS-Delivery`.
    package static let deliveryField = HTTPField.Name("X-MTASTS-Delivery")
    /// `X-MTASTS-Timestamp`.
    package static let timestampField = HTTPField.Name("X-MTASTS-Timestamp")
    /// `X-MTASTS-Signature`.
    package static let signatureField = HTTPField.Name("X-MTASTS-Signature")

    /// The signed request.
    /// - Parameters:
    ///   - secret: the webhook's signing secret (the `whsec_…` string as UTF-8).
    ///   - timestamp: Unix seconds of this attempt.
    /// - Throws: `CryptoError` when the signature cannot be computed.
    package static func make(
        url: ClientURL,
        body: [UInt8],
        event: NotificationEvent.Kind,
        deliveryID: UUID,
        timestamp: Int,
        secret: [UInt8]
    ) throws -> ClientRequest {
        var headers: HTTPFields = [.contentType: "application/json"]
        let values = [
            (eventField, event.rawValue), (deliveryField, deliveryID.uuidString.lowercased()),
            (timestampField, String(timestamp)),
            (signatureField, try WebhookSignature.header(secret: secret, timestamp: timestamp, body: body)),
        ]
        // The names are literal tokens, so none is nil.
        for case (let name?, let value) in values { headers.append(name, value) }
        return ClientRequest(method: .post, url: url, headers: headers, body: body)
    }
}

package import Foundation

/// One row of `webhooks`, without its secret (which only the worker opens, to sign deliveries).
package struct WebhookRecord: Sendable, Hashable {
    package var id: UUID
    package var accountID: UUID
    /// Where deliveries are POSTed, as the tenant gave it.
    package var url: String
    /// The tenant's note about the receiver, if any.
    package var description: String?
    package var createdAt: Date
}

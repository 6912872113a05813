/// Where a notification goes (`notification_deliveries.channel`).
///
/// Only webhooks exist today; e-mail through the operator's relay becomes a second case with its own destination
/// column, delivered from the same outbox.
package enum NotificationChannel: String, StoredVocabulary, Sendable, Hashable {
    /// An HTTPS POST to one of the account's webhooks, signed with the webhook's secret.
    case webhook
}

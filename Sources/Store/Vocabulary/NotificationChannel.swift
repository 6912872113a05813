/// Where a notification goes (`notification_deliveries.channel`).
///
/// Both channels are delivered from the same outbox: a webhook row names its webhook, an e-mail row its recipients.
package enum NotificationChannel: String, StoredVocabulary, Sendable, Hashable {
    /// An HTTPS POST to one of the account's webhooks, signed with the webhook's secret.
    case webhook
    /// A plain-text message to the account's alert addresses, through the operator's relay (`MTASTS_SMTP_URL`).
    case email
}

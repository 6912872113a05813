package import Foundation

/// One row of `notification_deliveries`: an event on its way to one destination, and how its attempts went.
package struct NotificationDeliveryRecord: Sendable, Hashable {
    package var id: UUID
    package var channel: NotificationChannel
    /// The webhook it goes to (channel `webhook`).
    package var webhookID: UUID?
    package var eventID: UUID
    package var eventType: NotificationEvent.Kind
    /// The event's JSON exactly as it is sent.
    package var body: String
    package var status: DeliveryStatus
    /// Attempts made so far.
    package var attempts: Int
    /// When the next attempt is due; nil once delivered or failed.
    package var nextAttemptAt: Date?
    package var firstAttemptAt: Date?
    package var lastAttemptAt: Date?
    /// The receiver's HTTP status at the last attempt, if it answered.
    package var lastStatus: Int?
    /// Why the last attempt failed (log-safe: names the origin, never the path).
    package var lastError: String?
    package var createdAt: Date
    /// When it was delivered or given up.
    package var completedAt: Date?
}

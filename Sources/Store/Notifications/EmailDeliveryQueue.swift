import Database
package import Foundation

/// The e-mail side of the notification outbox: leases due e-mail deliveries and records each attempt, the way
/// ``WebhookDeliveryQueue`` does for webhooks.
package struct EmailDeliveryQueue: Sendable {
    /// A leased e-mail delivery.
    package struct Due: Sendable {
        package var deliveryID: UUID
        package var attempts: Int
        package var firstAttemptAt: Date?
        package var eventType: NotificationEvent.Kind
        /// The event's JSON, as webhooks get it.
        package var body: [UInt8]
        package var recipients: [String]
    }

    private let pool: PostgresPool
    package let workerID: String

    init(pool: PostgresPool, workerID: String) {
        self.pool = pool
        self.workerID = workerID
    }

    /// Leases the next due e-mail delivery for `lease`.
    package func take(at now: Date, lease: Duration) throws -> Due? {
        let until = now.addingTimeInterval(Double(lease.components.seconds))
        return try pool.withConnection { connection in
            guard
                let row = try connection.query(
                    """
                    UPDATE notification_deliveries SET locked_by = \(workerID), locked_until = \(until)
                    WHERE id = (
                        SELECT id FROM notification_deliveries
                        WHERE status = \(DeliveryStatus.pending) AND channel = \(NotificationChannel.email)
                          AND next_attempt_at <= \(now) AND (locked_until IS NULL OR locked_until < \(now))
                        ORDER BY next_attempt_at, id
                        LIMIT 1
                        FOR UPDATE SKIP LOCKED)
                    RETURNING id, attempts, first_attempt_at, event_type, body, recipients
                    """
                ).first
            else { return nil }
            let (id, attempts, firstAttempt, eventType, body, recipients) = try row.decode(
                (UUID, Int, Date?, NotificationEvent.Kind, String, PostgresTextArray).self
            )
            return Due(
                deliveryID: id,
                attempts: attempts,
                firstAttemptAt: firstAttempt,
                eventType: eventType,
                body: Array(body.utf8),
                recipients: recipients.elements
            )
        }
    }

    /// Records an attempt made at `now` and releases the lease (only while this worker still holds it).
    @discardableResult
    package func record(_ due: Due, result: WebhookDeliveryQueue.Result, at now: Date) throws -> Bool {
        try WebhookDeliveryQueue.record(
            deliveryID: due.deliveryID,
            result: result,
            at: now,
            workerID: workerID,
            pool: pool
        )
    }

    /// The e-mail deliveries of an account, newest first (for its alert settings page).
    package func recent(
        accountID: UUID,
        limit: Int
    ) throws -> [(createdAt: Date, eventType: String, status: String, error: String?)] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT created_at, event_type, status, last_error FROM notification_deliveries
                WHERE account_id = \(accountID) AND channel = \(NotificationChannel.email)
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """
            ).map { row in
                let (createdAt, eventType, status, error) = try row.decode((Date, String, String, String?).self)
                return (createdAt, eventType, status, error)
            }
        }
    }
}

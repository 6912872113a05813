import Database
package import Foundation

/// SQL for `notification_deliveries` as tenants and alert conditions see it: events go in, the delivery log
/// comes out. The worker's side (leasing due deliveries, recording attempts) is ``WebhookDeliveryQueue``.
///
/// An event becomes one pending delivery per webhook of the account, all in one statement, so either every
/// webhook gets the event or none does:
///
/// ```swift
/// let event = NotificationEvent(type: .alertOpened, occurredAt: now, domain: "example.com",
///                               condition: "certificate-expiring", severity: .warning,
///                               message: "The certificate of mta-sts.example.com expires in 9 days.",
///                               fix: "Check that mta-sts.example.com still points at the platform.")
/// try store.notifications.enqueue(event, accountID: domain.accountID, at: now)
/// ```
package struct NotificationOutbox: Sendable {
    let pool: PostgresPool

    static let columns = """
        id, channel, webhook_id, event_id, event_type, body, status, attempts, next_attempt_at, first_attempt_at,
        last_attempt_at, last_status, last_error, created_at, completed_at
        """

    static func decode(_ row: PostgresRow) throws -> NotificationDeliveryRecord {
        let (id, channel, webhookID, eventID, eventType, body, status, attempts) = try row.decode(
            (UUID, NotificationChannel, UUID?, UUID, NotificationEvent.Kind, String, DeliveryStatus, Int).self,
            columns: 0..<8
        )
        let (nextAttempt, firstAttempt, lastAttempt, lastStatus, lastError, createdAt, completedAt) = try row.decode(
            (Date?, Date?, Date?, Int?, String?, Date, Date?).self,
            columns: 8..<15
        )
        return NotificationDeliveryRecord(
            id: id,
            channel: channel,
            webhookID: webhookID,
            eventID: eventID,
            eventType: eventType,
            body: body,
            status: status,
            attempts: attempts,
            nextAttemptAt: nextAttempt,
            firstAttemptAt: firstAttempt,
            lastAttemptAt: lastAttempt,
            lastStatus: lastStatus,
            lastError: lastError,
            createdAt: createdAt,
            completedAt: completedAt
        )
    }

    /// Queues `event` for every webhook of the account and, when the account has alert addresses, one e-mail to
    /// them; all due at once: the one call an alert condition makes.
    /// - Returns: the new deliveries' ids (none when the account has no webhook and no alert address).
    /// - Throws: `EncodingError` for an event that cannot be encoded; `DatabaseError` `.checkViolation` for one
    ///   whose JSON exceeds 16 KiB.
    @discardableResult
    package func enqueue(_ event: NotificationEvent, accountID: UUID, at now: Date = Date()) throws -> [UUID] {
        try pool.withConnection { connection in
            try Self.enqueue(event, accountID: accountID, at: now, on: connection)
        }
    }

    /// ``enqueue(_:accountID:at:)`` on a connection the caller holds, so that a repository can queue the events
    /// of a change in the transaction that makes it (an alert condition recorded as open, and its deliveries).
    static func enqueue(
        _ event: NotificationEvent,
        accountID: UUID,
        at now: Date,
        on connection: PostgresConnection
    ) throws -> [UUID] {
        let body = String(decoding: try event.encoded(), as: UTF8.self)
        let webhooks = try connection.query(
            """
            INSERT INTO notification_deliveries (account_id, channel, webhook_id, event_id, event_type, body,
                                                 next_attempt_at, created_at)
            SELECT account_id, \(NotificationChannel.webhook), id, \(event.id), \(event.type), \(body), \(now), \(now)
            FROM webhooks WHERE account_id = \(accountID)
            ORDER BY created_at, id
            RETURNING id
            """
        ).map { try $0.decode(UUID.self, at: 0) }
        guard event.type != .test else { return webhooks }
        let email = try connection.query(
            """
            INSERT INTO notification_deliveries (account_id, channel, recipients, event_id, event_type, body,
                                                 next_attempt_at, created_at)
            SELECT id, \(NotificationChannel.email), alert_email_recipients, \(event.id), \(event.type), \(body),
                   \(now), \(now)
            FROM accounts WHERE id = \(accountID) AND cardinality(alert_email_recipients) > 0
            RETURNING id
            """
        ).map { try $0.decode(UUID.self, at: 0) }
        return webhooks + email
    }

    /// Queues a test event for one webhook, if it is the account's.
    /// - Returns: the pending delivery, or nil when the account has no such webhook.
    package func enqueueTest(webhookID: UUID, accountID: UUID, at now: Date) throws -> NotificationDeliveryRecord? {
        let event = NotificationEvent.test(at: now)
        let body = String(decoding: try event.encoded(), as: UTF8.self)
        return try pool.withConnection { connection in
            try connection.query(
                """
                INSERT INTO notification_deliveries (account_id, channel, webhook_id, event_id, event_type, body,
                                                     next_attempt_at, created_at)
                SELECT account_id, \(NotificationChannel.webhook), id, \(event.id), \(event.type), \(body), \(now),
                       \(now)
                FROM webhooks WHERE id = \(webhookID) AND account_id = \(accountID)
                RETURNING \(unsafeSQL: Self.columns)
                """
            ).first.map(Self.decode)
        }
    }

    /// A page of the webhook's delivery log, newest first.
    /// - Parameters:
    ///   - after: the last delivery of the previous page; a delivery not in this log gives an empty page.
    ///   - limit: the page size.
    /// - Returns: nil when the account has no such webhook.
    package func deliveries(
        webhookID: UUID,
        accountID: UUID,
        after: UUID?,
        limit: Int
    ) throws -> [NotificationDeliveryRecord]? {
        try pool.withConnection { connection in
            let owned = try connection.query(
                "SELECT 1 FROM webhooks WHERE id = \(webhookID) AND account_id = \(accountID)"
            )
            guard !owned.isEmpty else { return nil }
            return try connection.query(
                """
                SELECT \(unsafeSQL: Self.columns) FROM notification_deliveries
                WHERE webhook_id = \(webhookID) AND account_id = \(accountID)
                  AND (\(after) IS NULL OR (created_at, id) < (
                      SELECT created_at, id FROM notification_deliveries
                      WHERE id = \(after) AND webhook_id = \(webhookID)))
                ORDER BY created_at DESC, id DESC
                LIMIT \(limit)
                """
            ).map(Self.decode)
        }
    }
}

import Database
package import Foundation

/// The worker's side of the outbox: leases due webhook deliveries and records each attempt.
///
/// A delivery is taken with `FOR UPDATE SKIP LOCKED` and leased (`locked_by`, `locked_until`) like a job, so
/// any number of workers share the outbox and a worker killed mid-attempt loses its lease; the delivery is then
/// attempted again (receivers may see it twice, with the same `X-MTASTS-Delivery`). Every time comes from the
/// caller, so a test drives retries with its own clock.
///
/// ```swift
/// let queue = store.webhookDeliveries(workerID: "worker-1")
/// if let due = try queue.take(at: now, lease: .seconds(120)) {
///     try queue.record(due, result: .init(disposition: .delivered, httpStatus: 204), at: now)
/// }
/// ```
package struct WebhookDeliveryQueue: Sendable {
    /// A delivery leased for one attempt, with what the attempt needs.
    package struct Due: Sendable {
        package var deliveryID: UUID
        /// Attempts before this one.
        package var attempts: Int
        /// When the first attempt was made; nil before it.
        package var firstAttemptAt: Date?
        package var eventType: NotificationEvent.Kind
        /// The event's JSON, sent as is.
        package var body: [UInt8]
        package var webhookID: UUID
        package var url: String
        /// The signing secret, sealed (``SecretOwner/webhookSecret(id:)``).
        package var secret: SealedSecret
    }

    /// How one attempt ended.
    package struct Result: Sendable, Equatable {
        /// What becomes of the delivery.
        package enum Disposition: Sendable, Equatable {
            /// The receiver answered 2xx.
            case delivered
            /// Attempt again at this time.
            case retry(at: Date)
            /// No more attempts.
            case failed
        }

        package var disposition: Disposition
        /// The receiver's status, if it answered.
        package var httpStatus: Int?
        /// Why the attempt failed, log-safe; cut to 1000 characters.
        package var error: String?

        /// An outcome.
        package init(disposition: Disposition, httpStatus: Int?, error: String? = nil) {
            self.disposition = disposition
            self.httpStatus = httpStatus
            self.error = error
        }
    }

    private let pool: PostgresPool
    /// Identifies this worker in `locked_by`.
    package let workerID: String

    /// A queue that leases deliveries as `workerID` (``DataStore/webhookDeliveries(workerID:)``).
    init(pool: PostgresPool, workerID: String) {
        self.pool = pool
        self.workerID = workerID
    }

    /// Leases the most overdue webhook delivery due at `now`, or returns nil when none is.
    package func take(at now: Date, lease: Duration) throws -> Due? {
        let until = now.addingTimeInterval(Double(lease.components.seconds))
        return try pool.withConnection { connection in
            let row = try connection.query(
                """
                UPDATE notification_deliveries d SET locked_by = \(workerID), locked_until = \(until)
                FROM webhooks w
                WHERE w.id = d.webhook_id AND d.id = (
                    SELECT id FROM notification_deliveries
                    WHERE status = \(DeliveryStatus.pending) AND channel = \(NotificationChannel.webhook)
                      AND next_attempt_at <= \(now) AND (locked_until IS NULL OR locked_until < \(now))
                    ORDER BY next_attempt_at, id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.attempts, d.first_attempt_at, d.event_type, d.body, w.id, w.url,
                          w.secret_key_id, w.secret_nonce, w.secret_ciphertext, w.secret_binding
                """
            ).first
            guard let row else { return nil }
            let (id, attempts, firstAttempt, eventType, body, webhookID, url) = try row.decode(
                (UUID, Int, Date?, NotificationEvent.Kind, String, UUID, String).self,
                columns: 0..<7
            )
            let (keyID, nonce, ciphertext, binding) = try row.decode(
                (String, PostgresBytes, PostgresBytes, SecretBinding).self,
                columns: 7..<11
            )
            return Due(
                deliveryID: id,
                attempts: attempts,
                firstAttemptAt: firstAttempt,
                eventType: eventType,
                body: Array(body.utf8),
                webhookID: webhookID,
                url: url,
                secret: WebhookRepository.sealedSecret(
                    id: webhookID,
                    keyID: keyID,
                    nonce: nonce,
                    ciphertext: ciphertext,
                    binding: binding
                )
            )
        }
    }

    /// Records an attempt made at `now` and releases the lease (only while this worker still holds it).
    /// - Returns: false when the delivery is gone (its webhook was deleted) or another worker took it over.
    @discardableResult
    package func record(_ due: Due, result: Result, at now: Date) throws -> Bool {
        try Self.record(deliveryID: due.deliveryID, result: result, at: now, workerID: workerID, pool: pool)
    }

    /// Records an attempt of a delivery of any channel that `workerID` holds the lease of.
    static func record(
        deliveryID: UUID,
        result: Result,
        at now: Date,
        workerID: String,
        pool: PostgresPool
    ) throws -> Bool {
        let status: DeliveryStatus
        let next: Date?
        switch result.disposition {
        case .delivered: (status, next) = (.delivered, nil)
        case .retry(let at): (status, next) = (.pending, at)
        case .failed: (status, next) = (.failed, nil)
        }
        let completed: Date? = next == nil ? now : nil
        let error = result.error.map { String($0.prefix(1000)) }
        return try pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE notification_deliveries SET attempts = attempts + 1, status = \(status),
                    next_attempt_at = \(next), first_attempt_at = coalesce(first_attempt_at, \(now)),
                    last_attempt_at = \(now), last_status = \(result.httpStatus), last_error = \(error),
                    completed_at = \(completed), locked_by = NULL, locked_until = NULL
                WHERE id = \(deliveryID) AND locked_by = \(workerID)
                """
            ) == 1
        }
    }
}

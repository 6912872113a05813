/// Where a notification delivery stands (`notification_deliveries.status`).
package enum DeliveryStatus: String, StoredVocabulary, Sendable, Hashable {
    /// Not yet accepted by the receiver: due at `next_attempt_at`.
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Every attempt for 24 hours after the first failed; nothing more is tried.
    case failed
}

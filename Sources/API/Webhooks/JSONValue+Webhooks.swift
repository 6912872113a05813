import Foundation
import JSON
import Store

extension JSONValue {
    /// A webhook as `GET /v1/webhooks/{id}` shows it: never its secret.
    static func webhook(_ webhook: WebhookRecord) -> JSONValue {
        [
            "id": .string(webhook.id.uuidString.lowercased()), "url": .string(webhook.url),
            "description": .string(webhook.description), "created_at": .date(webhook.createdAt),
        ]
    }

    /// One entry of a webhook's delivery log, with the event exactly as it is (or was) sent.
    static func delivery(_ delivery: NotificationDeliveryRecord) -> JSONValue {
        [
            "id": .string(delivery.id.uuidString.lowercased()),
            "event_id": .string(delivery.eventID.uuidString.lowercased()),
            "type": .string(delivery.eventType.rawValue), "status": .string(delivery.status.rawValue),
            "attempts": .int(delivery.attempts), "created_at": .date(delivery.createdAt),
            "first_attempt_at": .date(delivery.firstAttemptAt), "last_attempt_at": .date(delivery.lastAttemptAt),
            "next_attempt_at": .date(delivery.nextAttemptAt), "completed_at": .date(delivery.completedAt),
            "last_status": delivery.lastStatus.map(JSONValue.int) ?? .null,
            "last_error": .string(delivery.lastError),
            // The store wrote this JSON itself; a body it cannot read back would be shown as null.
            "event": (try? JSONParser.parse(Array(delivery.body.utf8))) ?? .null,
        ]
    }
}

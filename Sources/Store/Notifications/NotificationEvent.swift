package import Foundation

/// Something a tenant is told about: an alert that opened or resolved for one of its domains, or a test event.
///
/// The JSON a receiver gets is ``encoded()``: the members below in snake case, `occurred_at` in RFC 3339 UTC, `domain`
/// absent for a test event. The same event goes to every webhook of the account; receivers recognise a repeat by
/// its `id`.
///
/// ```swift
/// let event = NotificationEvent(
///     type: .alertOpened, occurredAt: now, domain: "example.com", condition: "mx-uncovered",
///     severity: .error, message: "mx3.example.com is not covered by the policy.",
///     fix: "Add mx3.example.com to the policy's mx patterns."
/// )
/// try store.notifications.enqueue(event, accountID: account, at: now)
/// ```
package struct NotificationEvent: Sendable, Hashable {
    /// What happened (`type`, also sent as `X-MTASTS-Event`).
    package enum Kind: String, StoredVocabulary, Sendable, Hashable, CaseIterable {
        /// A condition appeared: sent once, not again while it persists.
        case alertOpened = "alert.opened"
        /// The condition cleared.
        case alertResolved = "alert.resolved"
        /// An MX-change plan reached the moment the tenant must switch the MX records.
        case mxChangeReady = "mx_change.ready"
        /// An MX-change plan finished: the old patterns are gone and `max_age` is restored.
        case mxChangeCompleted = "mx_change.completed"
        /// Asked for by the tenant (`POST /v1/webhooks/{id}/test`) to try a receiver.
        case test
    }

    /// How bad it is, as the checks grade their findings.
    package enum Severity: String, Sendable, Hashable, CaseIterable {
        /// Mail may bounce or go unprotected.
        case error
        /// Something will break if nobody acts (a certificate expiring soon).
        case warning
        /// For the record.
        case info
    }

    /// Unique per event; the same for every webhook the event goes to.
    package var id: UUID
    package var type: Kind
    package var occurredAt: Date
    /// The domain the alert is about (lower-case A-labels); nil for a test event.
    package var domain: String?
    /// A stable code for the condition, e.g. `mx-uncovered` or `certificate-expiring` (`docs/checks.md`).
    package var condition: String
    package var severity: Severity
    /// A plain-language sentence saying what is wrong (or, for `alert.resolved`, what recovered).
    package var message: String
    /// What exactly to do about it.
    package var fix: String

    /// An event; `id` is random unless given.
    package init(
        id: UUID = UUID(),
        type: Kind,
        occurredAt: Date,
        domain: String?,
        condition: String,
        severity: Severity,
        message: String,
        fix: String
    ) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.domain = domain
        self.condition = condition
        self.severity = severity
        self.message = message
        self.fix = fix
    }

    /// The event a tenant sends to try a webhook.
    package static func test(at now: Date) -> NotificationEvent {
        NotificationEvent(
            type: .test,
            occurredAt: now,
            domain: nil,
            condition: "test",
            severity: .info,
            message: "A test event: this webhook receives the account's alerts.",
            fix: "Nothing to fix."
        )
    }

    /// The JSON document sent to receivers: members sorted by name, no insignificant whitespace.
    /// - Throws: `EncodingError` (not expected: every member is a string).
    package func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}

// MARK: - JSON

extension NotificationEvent: Encodable {
    private enum CodingKeys: String, CodingKey {
        case id, type, domain, condition, severity, message, fix
        case occurredAt = "occurred_at"
    }

    /// Writes the members receivers see: the id in lower case, the time as RFC 3339 UTC to the second.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(type.rawValue, forKey: .type)
        try container.encode(occurredAt.formatted(.iso8601), forKey: .occurredAt)
        try container.encodeIfPresent(domain, forKey: .domain)
        try container.encode(condition, forKey: .condition)
        try container.encode(severity.rawValue, forKey: .severity)
        try container.encode(message, forKey: .message)
        try container.encode(fix, forKey: .fix)
    }
}

import Database
package import Foundation

/// A condition the checks found on a domain that tenants are alerted about (`alert_conditions`).
package struct AlertCondition: Sendable, Hashable {
    /// A stable code: a finding's code (`mx-uncovered`) or a platform condition (`certificate-expiring`).
    package var code: String
    /// `error`, `warning` or `info`.
    package var severity: String
    /// What is wrong, for the tenant.
    package var message: String
    /// What to do.
    package var fix: String

    package init(code: String, severity: String, message: String, fix: String) {
        self.code = code
        self.severity = severity
        self.message = message
        self.fix = fix
    }
}

/// A condition that appeared or cleared at one reconciliation.
package struct AlertTransition: Sendable, Hashable {
    /// Whether the condition appeared (`true`) or cleared.
    package var opened: Bool
    /// The condition as it was found (for a cleared one: as it was when it appeared).
    package var condition: AlertCondition
    /// When it appeared.
    package var openedAt: Date
    /// When it cleared; nil for an opened one.
    package var resolvedAt: Date?
}

/// SQL for `alert_conditions`: one open row per domain and condition while it holds.
package struct AlertRepository: Sendable {
    let pool: PostgresPool

    /// Makes the open conditions of `domainID` exactly `current`: opens the new ones, closes the ones gone, and
    /// queues an `alert.opened` or `alert.resolved` event for the account's channels in the same transaction.
    /// Conditions that persist are left alone, so a condition alerts once when it appears and once when it
    /// clears. Concurrent reconciliations of one domain serialise on its row.
    /// - Returns: what appeared and what cleared, in that order.
    package func reconcile(domainID: UUID, current: [AlertCondition], at now: Date) throws -> [AlertTransition] {
        try pool.withConnection { connection in
            try connection.withTransaction { connection in
                guard
                    let (name, accountID) = try connection.query(
                        "SELECT name, account_id FROM domains WHERE id = \(domainID) FOR UPDATE"
                    ).first.map({ try $0.decode((String, UUID).self) })
                else { return [] }
                var open: [String: (AlertCondition, Date)] = [:]
                for row in try connection.query(
                    """
                    SELECT condition, severity, message, fix, opened_at FROM alert_conditions
                    WHERE domain_id = \(domainID) AND resolved_at IS NULL
                    """
                ) {
                    let (code, severity, message, fix, openedAt) = try row.decode(
                        (String, String, String, String, Date).self
                    )
                    open[code] = (AlertCondition(code: code, severity: severity, message: message, fix: fix), openedAt)
                }
                var transitions: [AlertTransition] = []
                var seen: Set<String> = []
                for condition in current where seen.insert(condition.code).inserted && open[condition.code] == nil {
                    try connection.execute(
                        """
                        INSERT INTO alert_conditions (domain_id, condition, severity, message, fix, opened_at)
                        VALUES (\(domainID), \(condition.code), \(condition.severity),
                                \(String(condition.message.prefix(2000))), \(String(condition.fix.prefix(2000))), \(now))
                        """
                    )
                    transitions.append(AlertTransition(opened: true, condition: condition, openedAt: now))
                }
                for (code, (condition, openedAt)) in open.sorted(by: { $0.key < $1.key }) where !seen.contains(code) {
                    try connection.execute(
                        """
                        UPDATE alert_conditions SET resolved_at = \(now)
                        WHERE domain_id = \(domainID) AND condition = \(code) AND resolved_at IS NULL
                        """
                    )
                    transitions.append(
                        AlertTransition(opened: false, condition: condition, openedAt: openedAt, resolvedAt: now)
                    )
                }
                for transition in transitions {
                    let condition = transition.condition
                    let event = NotificationEvent(
                        type: transition.opened ? .alertOpened : .alertResolved,
                        occurredAt: now,
                        domain: name,
                        condition: condition.code,
                        severity: NotificationEvent.Severity(rawValue: condition.severity) ?? .error,
                        message: transition.opened ? condition.message : "Resolved: \(condition.message)",
                        fix: transition.opened
                            ? condition.fix : "Nothing to do; it cleared by itself or after your fix."
                    )
                    _ = try NotificationOutbox.enqueue(event, accountID: accountID, at: now, on: connection)
                }
                return transitions
            }
        }
    }

    /// The conditions open on `domainID`, oldest first.
    package func open(domainID: UUID) throws -> [(condition: AlertCondition, openedAt: Date)] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT condition, severity, message, fix, opened_at FROM alert_conditions
                WHERE domain_id = \(domainID) AND resolved_at IS NULL ORDER BY opened_at, id
                """
            ).map { row in
                let (code, severity, message, fix, openedAt) = try row.decode(
                    (String, String, String, String, Date).self
                )
                return (AlertCondition(code: code, severity: severity, message: message, fix: fix), openedAt)
            }
        }
    }
}

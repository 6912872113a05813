import Database
package import Foundation
package import MTASTS

/// One MX-change plan (`mx_change_plans`).
package struct MXChangePlanRecord: Sendable, Hashable {
    package var id: UUID
    package var domainID: UUID
    /// Patterns added for the new provider's hosts.
    package var add: [String]
    /// Patterns of the old provider's hosts, removed at the end.
    package var remove: [String]
    /// `max_age` before the plan, restored at the end.
    package var originalMaxAge: Int
    /// `max_age` while the plan runs.
    package var temporaryMaxAge: Int
    package var state: MXChangePlanState
    package var createdAt: Date
    /// When every policy version published before the plan has expired from senders' caches.
    package var safeAt: Date
    /// When the tenant was told to switch the MX records.
    package var readyAt: Date?
    /// When the live MX were seen on the new hosts.
    package var switchedAt: Date?
    /// When the plan completed or was cancelled.
    package var finishedAt: Date?
    /// When the worker looks at the plan again.
    package var nextCheckAt: Date
    /// The live MX hosts the worker saw last, and when.
    package var observedMX: [String]?
    package var observedAt: Date?
}

/// SQL for `mx_change_plans`: starting a plan (with its first policy), moving it on, finishing it (with its last
/// policy), each in one transaction with the domain row locked.
package struct MXChangePlanRepository: Sendable {
    let pool: PostgresPool

    private static let columns = """
        id, domain_id, add_patterns, remove_patterns, original_max_age, temporary_max_age, state, created_at, \
        safe_at, ready_at, switched_at, finished_at, next_check_at, observed_mx, observed_at
        """

    /// Starts a plan: publishes the current policy with `add` appended and `max_age` lowered to
    /// `temporaryMaxAge` (if it was longer), and records when every earlier `enforce` version has expired from
    /// senders' caches (the latest of each one's end of service plus its `max_age`): only a cached `enforce`
    /// policy makes a sender refuse a host it does not list, so without one the plan is ready at once.
    /// - Throws: `StoreError` `.planInProgress`, `.invalidStatus` (not verified), `.notFound` (no policy).
    package func start(
        domainID: UUID,
        add: [MXPattern],
        remove: [MXPattern],
        temporaryMaxAge: Int,
        at now: Date
    ) throws -> (plan: MXChangePlanRecord, policy: PolicyRecord) {
        try pool.withTransaction { connection in
            let domain = try DomainRepository.lock(on: connection, domainID: domainID)
            guard domain.status == .verified else {
                throw StoreError(.invalidStatus, "The domain is \(domain.status.rawValue), not verified.")
            }
            if try Self.active(on: connection, domainID: domainID) != nil {
                throw StoreError(.planInProgress, "An MX change is already in progress; finish or cancel it first.")
            }
            guard let current = try PolicyRepository.current(on: connection, domainID: domainID) else {
                throw StoreError(.notFound, "The domain has no policy.")
            }
            let cachedUntil =
                try connection.query(
                    """
                    SELECT max(coalesce(superseded_at, \(now)) + max_age * interval '1 second') FROM policies
                    WHERE domain_id = \(domainID) AND mode = 'enforce'
                    """
                ).first.flatMap { try $0.decode(Date?.self, at: 0) } ?? now
            let patterns = try current.mx.map { try MXPattern(parsing: $0) }
            let policy = try Policy(
                mode: current.mode,
                mx: patterns + add.filter { !patterns.contains($0) },
                maxAge: min(current.maxAge, temporaryMaxAge)
            )
            let (published, _) = try PolicyRepository.publish(on: connection, domain: domain, policy: policy, at: now)
            let safeAt = max(now, cachedUntil)
            let rows = try connection.query(
                """
                INSERT INTO mx_change_plans (domain_id, add_patterns, remove_patterns, original_max_age,
                    temporary_max_age, state, created_at, safe_at, next_check_at)
                VALUES (\(domainID), \(PostgresTextArray(add.map(\.description))),
                        \(PostgresTextArray(remove.map(\.description))), \(current.maxAge), \(temporaryMaxAge),
                        \(MXChangePlanState.waiting), \(now), \(safeAt), \(safeAt))
                RETURNING \(unsafeSQL: Self.columns)
                """
            )
            return (try Self.decode(try AccountRepository.single(rows)), published)
        }
    }

    /// The domain's plan in progress, else its latest finished one.
    package func latest(domainID: UUID) throws -> MXChangePlanRecord? {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(unsafeSQL: Self.columns) FROM mx_change_plans WHERE domain_id = \(domainID)
                ORDER BY finished_at IS NULL DESC, created_at DESC LIMIT 1
                """
            ).first.map(Self.decode)
        }
    }

    /// Cancels the domain's plan in progress; the policy stays as it is.
    /// - Returns: the cancelled plan; nil when none was in progress.
    package func cancel(domainID: UUID, at now: Date) throws -> MXChangePlanRecord? {
        try pool.withConnection { connection in
            try connection.query(
                """
                UPDATE mx_change_plans SET state = \(MXChangePlanState.cancelled), finished_at = \(now)
                WHERE domain_id = \(domainID) AND state IN ('waiting', 'ready')
                RETURNING \(unsafeSQL: Self.columns)
                """
            ).first.map(Self.decode)
        }
    }

    /// Tells that the plan is ready: the tenant may switch the MX records. Only from `waiting`; queues
    /// `mx_change.ready` for the account's channels in the same transaction.
    /// - Returns: whether the plan moved (false when it was cancelled or moved meanwhile).
    package func markReady(planID: UUID, at now: Date, nextCheckAt: Date) throws -> Bool {
        try pool.withTransaction { connection in
            guard
                let plan = try connection.query(
                    """
                    UPDATE mx_change_plans SET state = \(MXChangePlanState.ready), ready_at = \(now),
                        next_check_at = \(nextCheckAt)
                    WHERE id = \(planID) AND state = 'waiting' RETURNING \(unsafeSQL: Self.columns)
                    """
                ).first.map(Self.decode)
            else { return false }
            let hosts = plan.add.isEmpty ? "the new provider's hosts" : plan.add.joined(separator: ", ")
            try Self.notify(
                plan,
                .mxChangeReady,
                severity: .warning,
                message: "It is now safe to switch the MX records of %@ to \(hosts): every policy senders may have "
                    + "cached lists them.",
                fix: "Change the MX records now; the platform watches them and removes the old hosts from the policy "
                    + "once the new ones are live.",
                at: now,
                on: connection
            )
            return true
        }
    }

    /// Queues a plan event for the account of the plan's domain (`%@` in `message` becomes the domain).
    private static func notify(
        _ plan: MXChangePlanRecord,
        _ kind: NotificationEvent.Kind,
        severity: NotificationEvent.Severity,
        message: String,
        fix: String,
        at now: Date,
        on connection: PostgresConnection
    ) throws {
        guard
            let (name, accountID) = try connection.query(
                "SELECT name, account_id FROM domains WHERE id = \(plan.domainID)"
            ).first.map({ try $0.decode((String, UUID).self) })
        else { return }
        let event = NotificationEvent(
            type: kind,
            occurredAt: now,
            domain: name,
            condition: "mx-change",
            severity: severity,
            message: message.replacingOccurrences(of: "%@", with: name),
            fix: fix
        )
        _ = try NotificationOutbox.enqueue(event, accountID: accountID, at: now, on: connection)
    }

    /// Records the live MX hosts the worker saw, and when it looks again.
    package func observe(planID: UUID, mx: [String], at now: Date, nextCheckAt: Date) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE mx_change_plans SET observed_mx = \(PostgresTextArray(mx)), observed_at = \(now),
                    next_check_at = \(nextCheckAt)
                WHERE id = \(planID) AND state IN ('waiting', 'ready')
                """
            )
        }
    }

    /// Finishes a ready plan whose live MX are on the new hosts: publishes the current policy without the
    /// removed patterns and with the original `max_age`.
    /// - Returns: the completed plan and the policy; nil when the plan was no longer ready.
    package func complete(
        planID: UUID,
        observedMX: [String],
        at now: Date
    ) throws -> (plan: MXChangePlanRecord, policy: PolicyRecord)? {
        try pool.withTransaction { connection in
            guard
                let plan = try connection.query(
                    "SELECT \(unsafeSQL: Self.columns) FROM mx_change_plans WHERE id = \(planID)"
                ).first.map(Self.decode), plan.state == .ready
            else { return nil }
            let domain = try DomainRepository.lock(on: connection, domainID: plan.domainID)
            guard domain.status == .verified,
                let current = try PolicyRepository.current(on: connection, domainID: plan.domainID)
            else { return nil }
            let removed = Set(plan.remove)
            let kept = try current.mx.filter { !removed.contains($0) }.map { try MXPattern(parsing: $0) }
            let policy = try Policy(
                mode: current.mode,
                mx: kept,
                maxAge: current.maxAge == plan.temporaryMaxAge ? plan.originalMaxAge : current.maxAge
            )
            let (published, _) = try PolicyRepository.publish(on: connection, domain: domain, policy: policy, at: now)
            let rows = try connection.query(
                """
                UPDATE mx_change_plans SET state = \(MXChangePlanState.completed), switched_at = \(now),
                    finished_at = \(now), observed_mx = \(PostgresTextArray(observedMX)), observed_at = \(now)
                WHERE id = \(planID) RETURNING \(unsafeSQL: Self.columns)
                """
            )
            let completed = try Self.decode(try AccountRepository.single(rows))
            try Self.notify(
                completed,
                .mxChangeCompleted,
                severity: .info,
                message:
                    "The MX records of %@ are on the new hosts (\(observedMX.joined(separator: ", "))): the policy "
                    + "now lists only them, with max_age \(policy.maxAge).",
                fix: "Nothing to do.",
                at: now,
                on: connection
            )
            return (completed, published)
        }
    }

    /// Queues an `advance_mx_change` job for each plan due.
    @discardableResult
    package func enqueueDue(at now: Date) throws -> Int {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO jobs (kind, domain_id)
                SELECT \(JobKind.advanceMXChange), domain_id FROM mx_change_plans
                WHERE state IN ('waiting', 'ready') AND next_check_at <= \(now)
                ON CONFLICT DO NOTHING
                """
            )
        }
    }

    static func active(on connection: PostgresConnection, domainID: UUID) throws -> MXChangePlanRecord? {
        try connection.query(
            """
            SELECT \(unsafeSQL: columns) FROM mx_change_plans
            WHERE domain_id = \(domainID) AND state IN ('waiting', 'ready')
            """
        ).first.map(decode)
    }

    static func decode(_ row: PostgresRow) throws -> MXChangePlanRecord {
        let (id, domainID, add, remove, original, temporary, state, createdAt) = try row.decode(
            (UUID, UUID, PostgresTextArray, PostgresTextArray, Int, Int, MXChangePlanState, Date).self,
            columns: 0..<8
        )
        let (safeAt, readyAt, switchedAt, finishedAt, nextCheckAt, observed, observedAt) = try row.decode(
            (Date, Date?, Date?, Date?, Date, PostgresTextArray?, Date?).self,
            columns: 8..<15
        )
        return MXChangePlanRecord(
            id: id,
            domainID: domainID,
            add: add.elements,
            remove: remove.elements,
            originalMaxAge: original,
            temporaryMaxAge: temporary,
            state: state,
            createdAt: createdAt,
            safeAt: safeAt,
            readyAt: readyAt,
            switchedAt: switchedAt,
            finishedAt: finishedAt,
            nextCheckAt: nextCheckAt,
            observedMX: observed?.elements,
            observedAt: observedAt
        )
    }
}

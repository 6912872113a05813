import Database
package import Foundation

// MARK: - Changes: suspension, domain limits, transfers (one transaction each)

extension AdministrationRepository {
    /// Suspends the account named `name`: it can no longer sign in, and its sessions and API tokens are refused
    /// (kept, so reactivation restores them). Its domains keep serving: nothing the edges, DNS or the worker read
    /// changes.
    /// - Returns: the account before and after; equal when it was already suspended (nothing changed).
    package func suspend(
        account name: String,
        reason: String?,
        at now: Date
    ) throws -> (before: AccountSummary, after: AccountSummary) {
        try pool.withTransaction { connection in
            let before = try Self.account(named: name, on: connection, lock: true)
            guard before.suspendedAt == nil else { return (before, before) }
            try connection.execute(
                """
                UPDATE accounts SET suspended_at = \(now), suspension_reason = \(reason), updated_at = \(now)
                WHERE id = \(before.id)
                """
            )
            // The reason is the operator's note and stays out of the tenant's audit log.
            try Self.audit("account.suspend", account: before.id, target: before.email, at: now, on: connection)
            return (before, try Self.account(named: before.id.uuidString, on: connection, lock: false))
        }
    }

    /// Lifts the suspension of the account named `name`: its password, sessions and tokens work again.
    /// - Returns: the account before and after; equal when it was not suspended (nothing changed).
    package func reactivate(
        account name: String,
        at now: Date
    ) throws -> (before: AccountSummary, after: AccountSummary) {
        try pool.withTransaction { connection in
            let before = try Self.account(named: name, on: connection, lock: true)
            guard before.suspendedAt != nil else { return (before, before) }
            try connection.execute(
                """
                UPDATE accounts SET suspended_at = NULL, suspension_reason = NULL, updated_at = \(now)
                WHERE id = \(before.id)
                """
            )
            try Self.audit("account.reactivate", account: before.id, target: before.email, at: now, on: connection)
            return (before, try Self.account(named: before.id.uuidString, on: connection, lock: false))
        }
    }

    /// Sets the account's own domain limit, or (nil) makes the platform default apply. A limit below what the
    /// account holds is allowed: it keeps its domains and cannot add one until it is under the limit.
    /// - Returns: the account before and after.
    package func setDomainLimit(
        account name: String,
        to limit: Int?,
        at now: Date
    ) throws -> (before: AccountSummary, after: AccountSummary) {
        try pool.withTransaction { connection in
            let before = try Self.account(named: name, on: connection, lock: true)
            try connection.execute(
                "UPDATE accounts SET domain_limit = \(limit), updated_at = \(now) WHERE id = \(before.id)"
            )
            try Self.audit(
                "account.limit",
                account: before.id,
                target: before.email,
                at: now,
                details: ["domain_limit": limit.map(String.init) ?? "default"],
                on: connection
            )
            return (before, try Self.account(named: before.id.uuidString, on: connection, lock: false))
        }
    }

    /// Moves a domain to another account in one transaction. The domain row keeps its id, so its policies,
    /// certificates, reporting token, DNS label, check history, TLS reports and MX-change plan go with it, and
    /// the edges serve exactly what they served. The new owner's pending claim of the same name, if any, is
    /// deleted (the transferred row supersedes it); open alert conditions are cleared without notifying anyone,
    /// so the next check (scheduled at once) opens what still holds for the new owner's channels. Notifications
    /// already queued stay with the old owner: they describe its time with the domain.
    ///
    /// - Parameters:
    ///   - domain: the domain's name or id. By name, the verified (or offboarding) row is meant; an unverified
    ///     name claimed by several accounts must be given by id.
    ///   - target: the new owner's email or id.
    ///   - force: move it even when the new owner holds its domain limit.
    ///   - defaultLimit: `MTASTS_DOMAIN_LIMIT`, for accounts without their own.
    /// - Throws: `StoreError` `.notFound`, `.ambiguous`, `.invalidStatus` (deleted, offboarding, or already the
    ///   target's), `.domainLimitReached` (with `limit`).
    package func transfer(
        domain: String,
        to target: String,
        force: Bool,
        defaultLimit: Int,
        at now: Date
    ) throws -> DomainTransfer {
        try pool.withTransaction { connection in
            // The target's row first, as `DomainRepository.create` does, so concurrent claims count right.
            let toAccount = try Self.account(named: target, on: connection, lock: true)
            let record = try DomainRepository.lock(
                on: connection,
                domainID: try Self.domainID(named: domain, on: connection)
            )
            guard record.status == .verified || record.status == .pendingVerification else {
                throw StoreError(
                    .invalidStatus,
                    "\(record.name) is \(record.status.rawValue.replacingOccurrences(of: "_", with: " ")); "
                        + "only verified or pending domains can be transferred."
                )
            }
            guard record.accountID != toAccount.id else {
                throw StoreError(.invalidStatus, "\(record.name) already belongs to \(toAccount.email).")
            }
            let fromAccount = try Self.account(named: record.accountID.uuidString, on: connection, lock: false)
            var replacedClaim: UUID?
            if let claim = try connection.query(
                """
                SELECT \(unsafeSQL: DomainRepository.columns) FROM domains
                WHERE account_id = \(toAccount.id) AND name = \(record.name) AND status <> \(DomainStatus.deleted)
                FOR UPDATE
                """
            ).first.map(DomainRepository.decode) {
                guard claim.status == .pendingVerification else {
                    throw StoreError(
                        .duplicateDomain,
                        "\(toAccount.email) already has \(record.name) (\(claim.status.rawValue))."
                    )
                }
                _ = try DomainRepository.deleteUnverified(on: connection, domain: claim, at: now)
                replacedClaim = claim.id
            }
            let limit = toAccount.domainLimit ?? defaultLimit
            let held = try DomainRepository.count(on: connection, accountID: toAccount.id)
            if held >= limit && !force {
                throw StoreError(
                    .domainLimitReached,
                    "\(toAccount.email) holds \(held) of its \(limit) domains; raise its limit "
                        + "(`mtasts admin limit`) or transfer with --force.",
                    limit: limit
                )
            }
            try connection.execute(
                "UPDATE domains SET account_id = \(toAccount.id), updated_at = \(now) WHERE id = \(record.id)"
            )
            let cleared = try connection.execute(
                "DELETE FROM alert_conditions WHERE domain_id = \(record.id) AND resolved_at IS NULL"
            )
            try connection.execute("UPDATE domain_checks SET next_check_at = \(now) WHERE domain_id = \(record.id)")
            // Each side sees the move in its own log, without the other account's address.
            for (account, direction) in [(fromAccount.id, "out"), (toAccount.id, "in")] {
                try Self.audit(
                    "domain.transfer",
                    account: account,
                    target: record.name,
                    at: now,
                    details: ["direction": direction],
                    on: connection
                )
            }
            return DomainTransfer(
                domain: try DomainRepository.lock(on: connection, domainID: record.id),
                fromAccount: fromAccount,
                toAccount: try Self.account(named: toAccount.id.uuidString, on: connection, lock: false),
                replacedClaim: replacedClaim,
                clearedAlerts: cleared,
                exceededLimit: held >= limit
            )
        }
    }

    /// Appends an entry by the operator (`mtasts admin`) to `account`'s audit log, in the change's transaction.
    private static func audit(
        _ action: String,
        account: UUID,
        target: String,
        at now: Date,
        details: [String: String] = [:],
        on connection: PostgresConnection
    ) throws {
        try AuditLogRepository.insert(
            AuditEntry(
                accountID: account,
                actor: .operator,
                actorDetail: "operator",
                action: action,
                target: target,
                at: now,
                details: details
            ),
            on: connection
        )
    }

    /// The id of the domain named `name` (or with id `name`): the verified or offboarding row of that name, else
    /// its only pending claim.
    private static func domainID(named name: String, on connection: PostgresConnection) throws -> UUID {
        if let id = UUID(uuidString: name) {
            guard
                try !connection.query(
                    "SELECT 1 FROM domains WHERE id = \(id) AND status <> \(DomainStatus.deleted)"
                ).isEmpty
            else { throw StoreError(.notFound, "No domain has the id \(name).") }
            return id
        }
        let rows = try connection.query(
            """
            SELECT d.id, d.status, a.email FROM domains d JOIN accounts a ON a.id = d.account_id
            WHERE d.name = lower(\(name)) AND d.status <> \(DomainStatus.deleted)
            ORDER BY d.created_at
            """
        ).map { try $0.decode((UUID, DomainStatus, String).self) }
        if let live = rows.first(where: { $0.1 != .pendingVerification }) { return live.0 }
        guard let only = rows.first else { throw StoreError(.notFound, "No account holds the domain \(name).") }
        guard rows.count == 1 else {
            let claims = rows.map { "\($0.0.uuidString.lowercased()) (\($0.2))" }.joined(separator: ", ")
            throw StoreError(
                .ambiguous,
                "\(rows.count) accounts claim \(name) unverified; name the domain by id: \(claims)."
            )
        }
        return only.0
    }
}

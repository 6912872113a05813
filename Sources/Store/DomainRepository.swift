import Database
package import Foundation
package import MTASTS

/// SQL for `domains`: claims, verification, offboarding and deletion.
///
/// A tenant only ever sees its own rows: every read takes the account id, and a deleted domain is invisible.
package struct DomainRepository: Sendable {
    let pool: PostgresPool

    static let columns = """
        id, account_id, name, status, verification_token, verified_at, verification_method, created_at, \
        deleted_at, serve_until, dns_label, tlsrpt_rua, control_missing_since, lost_at, report_token
        """

    static func decode(_ row: PostgresRow) throws -> DomainRecord {
        let (id, account, name, status, token, verifiedAt, method, createdAt, deletedAt, serveUntil, label, rua) =
            try row.decode(
                (
                    UUID, UUID, String, DomainStatus, String, Date?, String?, Date, Date?, Date?, String,
                    PostgresTextArray
                )
                .self,
                columns: 0..<12
            )
        let (missingSince, lostAt) = (try row.decode(Date?.self, at: 12), try row.decode(Date?.self, at: 13))
        let reportToken = try row.decode(String.self, at: 14)
        // The column's CHECK is the model's grammar, so a stored name always parses.
        guard let domainName = try? DomainName(parsing: name) else {
            throw DatabaseError(.decodingFailed, "a stored domain name does not parse")
        }
        return DomainRecord(
            id: id,
            accountID: account,
            domainName: domainName,
            status: status,
            verificationToken: token,
            verifiedAt: verifiedAt,
            verificationMethod: method,
            createdAt: createdAt,
            deletedAt: deletedAt,
            serveUntil: serveUntil,
            dnsLabel: label,
            tlsrptRUA: rua.elements,
            controlMissingSince: missingSince,
            lostAt: lostAt,
            reportToken: reportToken
        )
    }

    /// Claims `name` for the account, refusing more than its limit.
    ///
    /// The account row is locked first, so two concurrent claims cannot both pass the count.
    /// - Parameters:
    ///   - defaultLimit: the operator's limit, used unless the account has its own.
    /// - Throws: `StoreError` `.domainLimitReached` (with `limit`) or `.duplicateDomain`.
    package func create(
        accountID: UUID,
        name: DomainName,
        verificationToken: String,
        defaultLimit: Int,
        at now: Date
    ) throws -> DomainRecord {
        do {
            return try pool.withTransaction { connection in
                let own = try connection.query(
                    "SELECT domain_limit FROM accounts WHERE id = \(accountID) FOR UPDATE"
                )
                guard let row = own.first else { throw StoreError(.notFound, "The account does not exist.") }
                let limit = try row.decode(Int?.self, at: 0) ?? defaultLimit
                let existing = try connection.query(
                    """
                    SELECT 1 FROM domains
                    WHERE account_id = \(accountID) AND name = \(name.name) AND status <> \(DomainStatus.deleted)
                    """
                )
                guard existing.isEmpty else {
                    throw StoreError(.duplicateDomain, "This account already has the domain \(name.name).")
                }
                let count = try Self.count(on: connection, accountID: accountID)
                guard count < limit else {
                    throw StoreError(
                        .domainLimitReached,
                        "This account may hold at most \(limit) domains.",
                        limit: limit
                    )
                }
                let rows = try connection.query(
                    """
                    INSERT INTO domains (account_id, name, verification_token, created_at, updated_at)
                    VALUES (\(accountID), \(name.name), \(verificationToken), \(now), \(now))
                    RETURNING \(unsafeSQL: Self.columns)
                    """
                )
                return try Self.decode(try AccountRepository.single(rows))
            }
        } catch let error as DatabaseError where error.code == .uniqueViolation {
            throw StoreError(.duplicateDomain, "This account already has the domain \(name.name).")
        }
    }

    /// How many domains (not deleted) the account holds.
    package func count(accountID: UUID) throws -> Int {
        try pool.withConnection { try Self.count(on: $0, accountID: accountID) }
    }

    static func count(on connection: PostgresConnection, accountID: UUID) throws -> Int {
        try AccountRepository.single(
            try connection.query(
                "SELECT count(*) FROM domains WHERE account_id = \(accountID) AND status <> \(DomainStatus.deleted)"
            )
        ).decode(Int.self, at: 0)
    }

    /// A page of the account's domains ordered by name, starting after `after`.
    package func list(accountID: UUID, after: String?, limit: Int) throws -> [DomainRecord] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(unsafeSQL: Self.columns) FROM domains
                WHERE account_id = \(accountID) AND status <> \(DomainStatus.deleted) AND name > \(after ?? "")
                ORDER BY name LIMIT \(limit)
                """
            ).map(Self.decode)
        }
    }

    /// The domain with this id, in any status.
    package func find(id: UUID) throws -> DomainRecord? {
        try pool.withConnection { connection in
            try connection.query("SELECT \(unsafeSQL: Self.columns) FROM domains WHERE id = \(id)").first.map(
                Self.decode
            )
        }
    }

    /// The account's domain called `name` (not deleted), or nil (also when another account has it).
    package func find(accountID: UUID, name: String) throws -> DomainRecord? {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(unsafeSQL: Self.columns) FROM domains
                WHERE account_id = \(accountID) AND name = \(name) AND status <> \(DomainStatus.deleted)
                """
            ).first.map(Self.decode)
        }
    }

    /// Records the outcome of a verification or monitoring check.
    package func recordCheck(domainID: UUID, at now: Date, result: String) throws {
        try pool.withConnection { connection in
            _ = try connection.execute(
                """
                UPDATE domains SET last_checked_at = \(now), last_check_result = \(String(result.prefix(500)))
                WHERE id = \(domainID)
                """
            )
        }
    }

    /// Marks a pending domain verified by a DNS TXT proof and publishes its first policy, in one transaction.
    ///
    /// Verifying an already verified domain changes nothing and returns the current state. A fresh proof takes
    /// over a name another account lost (``recordControl(domainID:found:at:grace:)``): that row is deleted, with
    /// its certificates, in the same transaction.
    /// - Throws: `StoreError` `.verifiedByAnotherAccount` (the partial unique index refused a second owner),
    ///   `.invalidStatus` for an offboarding domain, `.notFound`.
    package func markVerified(
        domainID: UUID,
        initialPolicy: Policy,
        at now: Date
    ) throws -> (domain: DomainRecord, policy: PolicyRecord?) {
        do {
            return try pool.withTransaction { connection in
                let domain = try Self.lock(on: connection, domainID: domainID)
                switch domain.status {
                case .verified:
                    return (domain, try PolicyRepository.current(on: connection, domainID: domainID))
                case .offboarding, .deleted:
                    throw StoreError(.invalidStatus, "The domain is \(domain.status.rawValue).")
                case .pendingVerification:
                    break
                }
                let lost = try connection.query(
                    """
                    UPDATE domains SET status = \(DomainStatus.deleted), updated_at = \(now)
                    WHERE name = \(domain.name) AND status = \(DomainStatus.offboarding) AND lost_at IS NOT NULL
                      AND account_id <> \(domain.accountID)
                    RETURNING id
                    """
                ).map { try $0.decode(UUID.self, at: 0) }
                for previous in lost {
                    try connection.execute("DELETE FROM certificates WHERE domain_id = \(previous)")
                }
                let rows = try connection.query(
                    """
                    UPDATE domains SET status = \(DomainStatus.verified), verified_at = \(now), verification_method = 'dns_txt',
                        last_checked_at = \(now), last_check_result = 'verified', updated_at = \(now)
                    WHERE id = \(domainID) RETURNING \(unsafeSQL: Self.columns)
                    """
                )
                let verified = try Self.decode(try AccountRepository.single(rows))
                try ChangeLogRepository.append(
                    on: connection,
                    host: domain.domainName.policyHost,
                    kind: .domain,
                    at: now
                )
                let published = try PolicyRepository.publish(
                    on: connection,
                    domain: verified,
                    policy: initialPolicy,
                    at: now
                )
                return (verified, published.policy)
            }
        } catch let error as DatabaseError where error.code == .uniqueViolation {
            throw StoreError(.verifiedByAnotherAccount, "The domain is verified by another account.")
        }
    }

    /// What the worker's ownership re-check concluded.
    package enum ControlOutcome: Equatable, Sendable {
        /// A sign of control was found, or the lookups failed and nothing changed.
        case unchanged
        /// No sign of control since the date (the grace period runs).
        case missing(since: Date)
        /// The grace period ran out: the domain is now offboarding and its name free to be proven again.
        case lost
    }

    /// Records the worker's look at whether the tenant still controls a served domain; a domain lost gets a
    /// `domain.ownership_lost` audit entry in the same transaction.
    /// - Parameters:
    ///   - found: true when a sign of control was found, false when the lookups answered and none was there,
    ///     nil when they failed (nothing is concluded).
    ///   - grace: how long control may stay missing before the domain is offboarded as lost.
    package func recordControl(
        domainID: UUID,
        found: Bool?,
        at now: Date,
        grace: TimeInterval
    ) throws
        -> ControlOutcome
    {
        try pool.withTransaction { connection in
            let domain = try Self.lock(on: connection, domainID: domainID)
            guard domain.status == .verified else { return .unchanged }
            switch found {
            case true?:
                if domain.controlMissingSince != nil {
                    try connection.execute("UPDATE domains SET control_missing_since = NULL WHERE id = \(domainID)")
                }
                return .unchanged
            case nil:
                return domain.controlMissingSince.map { .missing(since: $0) } ?? .unchanged
            case false?:
                let since = domain.controlMissingSince ?? now
                guard now >= since.addingTimeInterval(grace) else {
                    if domain.controlMissingSince == nil {
                        try connection.execute(
                            "UPDATE domains SET control_missing_since = \(now) WHERE id = \(domainID)"
                        )
                    }
                    return .missing(since: since)
                }
                _ = try Self.offboard(on: connection, domain: domain, at: now)
                try connection.execute(
                    "UPDATE domains SET lost_at = \(now), control_missing_since = \(since) WHERE id = \(domainID)"
                )
                try AuditLogRepository.insert(
                    .worker(
                        accountID: domain.accountID,
                        action: "domain.ownership_lost",
                        target: domain.name,
                        at: now,
                        details: ["control_missing_since": since.formatted(.iso8601)]
                    ),
                    on: connection
                )
                return .lost
            }
        }
    }

    /// Starts offboarding (RFC 8461 §8.3): publishes `none` with `max_age` = `noneMaxAge`, and keeps serving it
    /// until every policy ever served has expired: `serve_until = now + max(largest max_age, noneMaxAge)`.
    ///
    /// An offboarding domain is returned unchanged.
    /// - Throws: `StoreError.invalidStatus` for a domain that was never verified.
    package func offboard(
        domainID: UUID,
        at now: Date,
        noneMaxAge: Int = 86_400
    ) throws -> (domain: DomainRecord, policy: PolicyRecord?) {
        try pool.withTransaction { connection in
            let domain = try Self.lock(on: connection, domainID: domainID)
            switch domain.status {
            case .offboarding:
                return (domain, try PolicyRepository.current(on: connection, domainID: domainID))
            case .pendingVerification, .deleted:
                throw StoreError(.invalidStatus, "The domain is \(domain.status.rawValue).")
            case .verified:
                return try Self.offboard(on: connection, domain: domain, at: now, noneMaxAge: noneMaxAge)
            }
        }
    }

    /// Offboards a verified domain whose row the caller's transaction has locked.
    static func offboard(
        on connection: PostgresConnection,
        domain: DomainRecord,
        at now: Date,
        noneMaxAge: Int = 86_400
    ) throws -> (domain: DomainRecord, policy: PolicyRecord?) {
        let none = try Policy(mode: .none, mx: [], maxAge: noneMaxAge)
        let published = try PolicyRepository.publish(on: connection, domain: domain, policy: none, at: now)
        let largest = try AccountRepository.single(
            try connection.query("SELECT coalesce(max(max_age), 0) FROM policies WHERE domain_id = \(domain.id)")
        ).decode(Int.self, at: 0)
        let serveUntil = now.addingTimeInterval(Double(max(largest, noneMaxAge)))
        let rows = try connection.query(
            """
            UPDATE domains SET status = \(DomainStatus.offboarding), deleted_at = \(now), serve_until = \(serveUntil),
                updated_at = \(now)
            WHERE id = \(domain.id) RETURNING \(unsafeSQL: Self.columns)
            """
        )
        try ChangeLogRepository.append(on: connection, host: domain.domainName.policyHost, kind: .domain, at: now)
        return (try Self.decode(try AccountRepository.single(rows)), published.policy)
    }

    /// Deletes a domain that never went live (never verified, so no policy was ever served).
    /// - Throws: `StoreError.invalidStatus` when it was verified at some point.
    package func deleteUnverified(domainID: UUID, at now: Date) throws -> DomainRecord {
        try pool.withTransaction { connection in
            try Self.deleteUnverified(
                on: connection,
                domain: try Self.lock(on: connection, domainID: domainID),
                at: now
            )
        }
    }

    /// Deletes a never-verified domain whose row the caller's transaction has locked.
    static func deleteUnverified(
        on connection: PostgresConnection,
        domain: DomainRecord,
        at now: Date
    ) throws
        -> DomainRecord
    {
        guard domain.verifiedAt == nil, domain.status == .pendingVerification else {
            throw StoreError(.invalidStatus, "The domain has served a policy and must be offboarded.")
        }
        let rows = try connection.query(
            """
            UPDATE domains SET status = \(DomainStatus.deleted), deleted_at = \(now), updated_at = \(now)
            WHERE id = \(domain.id) RETURNING \(unsafeSQL: Self.columns)
            """
        )
        try ChangeLogRepository.append(on: connection, host: domain.domainName.policyHost, kind: .domain, at: now)
        return try Self.decode(try AccountRepository.single(rows))
    }

    /// Finishes offboarding: domains whose `serve_until` has passed become `deleted` (the worker calls this), each
    /// with a `domain.offboarded` audit entry in the same transaction.
    /// - Returns: the names that were removed.
    package func completeOffboarding(at now: Date) throws -> [String] {
        try pool.withTransaction { connection in
            let removed = try connection.query(
                """
                UPDATE domains SET status = \(DomainStatus.deleted), updated_at = \(now)
                WHERE status = \(DomainStatus.offboarding)
                  AND id NOT IN (SELECT id FROM served_domains(\(now)))
                RETURNING \(unsafeSQL: Self.columns)
                """
            ).map(Self.decode)
            for domain in removed {
                try ChangeLogRepository.append(
                    on: connection,
                    host: domain.domainName.policyHost,
                    kind: .domain,
                    at: now
                )
                try AuditLogRepository.insert(
                    .worker(accountID: domain.accountID, action: "domain.offboarded", target: domain.name, at: now),
                    on: connection
                )
            }
            return removed.map(\.name)
        }
    }

    /// Replaces the domain's TLS-RPT addresses (`rua` URIs, already validated) and tells the followers.
    /// - Throws: `StoreError.invalidStatus` for a deleted domain, `.notFound`.
    package func setTLSRPT(domainID: UUID, rua: [String], at now: Date) throws -> DomainRecord {
        try pool.withTransaction { connection in
            let domain = try Self.lock(on: connection, domainID: domainID)
            guard domain.status != .deleted else { throw StoreError(.invalidStatus, "The domain is deleted.") }
            guard domain.tlsrptRUA != rua else { return domain }
            let rows = try connection.query(
                """
                UPDATE domains SET tlsrpt_rua = \(PostgresTextArray(rua)), updated_at = \(now)
                WHERE id = \(domainID) RETURNING \(unsafeSQL: Self.columns)
                """
            )
            try ChangeLogRepository.append(on: connection, host: domain.domainName.policyHost, kind: .tlsrpt, at: now)
            return try Self.decode(try AccountRepository.single(rows))
        }
    }

    /// Locks and returns a domain row for the rest of the transaction.
    static func lock(on connection: PostgresConnection, domainID: UUID) throws -> DomainRecord {
        guard
            let row = try connection.query(
                "SELECT \(unsafeSQL: columns) FROM domains WHERE id = \(domainID) FOR UPDATE"
            ).first
        else { throw StoreError(.notFound, "The domain does not exist.") }
        return try decode(row)
    }
}

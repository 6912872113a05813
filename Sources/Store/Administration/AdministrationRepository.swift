import Database
package import Foundation
import MTASTS

/// SQL for the operator's tasks (`mtasts admin`): finding accounts and domains across tenants.
///
/// Accounts are named by email (ignoring case) or id everywhere; closed accounts are not listed and cannot be
/// named (their email can belong to a new account). Changes live in
/// `AdministrationRepository+Changes.swift`, one transaction each; the doctor's reads in `+Doctor.swift`.
///
/// ```swift
/// let accounts = try store.administration.accounts(search: "example.com", limit: 50)
/// let suspended = try store.administration.suspend(account: "ops@example.com", reason: "abuse", at: Date())
/// ```
package struct AdministrationRepository: Sendable {
    let pool: PostgresPool

    static let accountColumns = """
        a.id, a.email, a.created_at, \
        (SELECT count(*) FROM domains d WHERE d.account_id = a.id AND d.status <> 'deleted'), \
        a.domain_limit, a.suspended_at, a.suspension_reason, a.last_sign_in_at
        """

    static func decodeAccount(_ row: PostgresRow) throws -> AccountSummary {
        let (id, email, createdAt, count, limit, suspendedAt, reason, lastSignIn) = try row.decode(
            (UUID, String, Date, Int, Int?, Date?, String?, Date?).self
        )
        return AccountSummary(
            id: id,
            email: email,
            createdAt: createdAt,
            domainCount: count,
            domainLimit: limit,
            suspendedAt: suspendedAt,
            suspensionReason: reason,
            lastSignInAt: lastSignIn
        )
    }

    /// Open accounts whose email contains `search` (ignoring case) or whose id is `search`, oldest first.
    package func accounts(search: String?, limit: Int) throws -> [AccountSummary] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT \(unsafeSQL: Self.accountColumns) FROM accounts a
                WHERE a.closed_at IS NULL
                  AND (\(search)::text IS NULL OR strpos(lower(a.email), lower(\(search))) > 0
                       OR a.id::text = lower(\(search)))
                ORDER BY a.created_at, a.id LIMIT \(limit)
                """
            ).map(Self.decodeAccount)
        }
    }

    /// The open account named `name` (an email, ignoring case, or an id).
    /// - Throws: `StoreError.notFound` naming what was looked for.
    package func account(named name: String) throws -> AccountSummary {
        try pool.withConnection { try Self.account(named: name, on: $0, lock: false) }
    }

    static func account(named name: String, on connection: PostgresConnection, lock: Bool) throws -> AccountSummary {
        let id = UUID(uuidString: name)
        let rows = try connection.query(
            """
            SELECT \(unsafeSQL: accountColumns) FROM accounts a
            WHERE a.closed_at IS NULL AND (a.id = \(id) OR (\(id)::uuid IS NULL AND lower(a.email) = lower(\(name))))
            \(unsafeSQL: lock ? "FOR UPDATE OF a" : "")
            """
        )
        guard let row = rows.first else {
            throw StoreError(.notFound, "No open account has the \(id == nil ? "email" : "id") \(name).")
        }
        return try decodeAccount(row)
    }

    /// Domains (not deleted) whose name contains `search`, of `accountID` when given, by name.
    package func domains(search: String?, accountID: UUID?, limit: Int) throws -> [DomainSummary] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT d.id, d.name, d.account_id, a.email, d.status, d.created_at, d.verified_at,
                       p.mode, p.policy_id, c.not_after, k.worst_severity, k.checked_at
                FROM domains d
                JOIN accounts a ON a.id = d.account_id
                LEFT JOIN policies p ON p.domain_id = d.id AND p.superseded_at IS NULL
                LEFT JOIN certificates c ON c.domain_id = d.id AND c.replaced_by IS NULL
                    AND c.host = \(DomainName.policyHostPrefix) || d.name
                LEFT JOIN domain_checks k ON k.domain_id = d.id
                WHERE d.status <> \(DomainStatus.deleted)
                  AND (\(search)::text IS NULL OR strpos(d.name, lower(\(search))) > 0)
                  AND (\(accountID)::uuid IS NULL OR d.account_id = \(accountID))
                ORDER BY d.name, d.created_at, d.id LIMIT \(limit)
                """
            ).map { row in
                let (id, name, accountID, email, status, createdAt, verifiedAt) = try row.decode(
                    (UUID, String, UUID, String, DomainStatus, Date, Date?).self,
                    columns: 0..<7
                )
                let (mode, policyID, notAfter, severity, checkedAt) = try row.decode(
                    (String?, String?, Date?, String?, Date?).self,
                    columns: 7..<12
                )
                return DomainSummary(
                    id: id,
                    name: name,
                    accountID: accountID,
                    accountEmail: email,
                    status: status,
                    createdAt: createdAt,
                    verifiedAt: verifiedAt,
                    policyMode: mode,
                    policyID: policyID,
                    certificateNotAfter: notAfter,
                    lastCheckSeverity: severity,
                    lastCheckedAt: checkedAt
                )
            }
        }
    }
}

package import Database

/// Every SQL statement of the API lives behind this value: one repository per table family.
///
/// Repositories lease connections from the pool per call; operations that must be atomic (verifying a domain
/// and publishing its first policy, rotating a policy and appending to the change log) run in one transaction
/// inside a single repository method.
///
/// ```swift
/// let store = Store(pool: pool)
/// let account = try store.accounts.create(email: "a@example.com", passwordHash: hash, at: now)
/// let domain = try store.domains.create(accountID: account.id, name: "example.com", verificationToken: token,
///                                       defaultLimit: 5, at: now)
/// ```
package struct Store: Sendable {
    /// The pool every repository uses.
    package let pool: PostgresPool

    /// Creates a store on `pool`.
    package init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Accounts.
    package var accounts: AccountRepository { AccountRepository(pool: pool) }
    /// API tokens and sessions.
    package var tokens: TokenRepository { TokenRepository(pool: pool) }
    /// Domains and their lifecycle.
    package var domains: DomainRepository { DomainRepository(pool: pool) }
    /// Policies and their id history.
    package var policies: PolicyRepository { PolicyRepository(pool: pool) }
    /// The edge's change log.
    package var changes: ChangeLogRepository { ChangeLogRepository(pool: pool) }
    /// Sliding-window rate limits.
    package var rateLimits: RateLimitRepository { RateLimitRepository(pool: pool) }
}

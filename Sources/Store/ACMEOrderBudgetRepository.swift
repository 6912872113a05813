import Database
package import Foundation

/// The platform's ACME order budget (`acme_orders`). Every tenant's certificates come from one ACME account, so
/// the CA's limits are shared: a few hundred cheap names must not keep the account at its limit and block
/// everyone's renewals.
///
/// ```swift
/// switch try store.acmeOrders.admit(domainID: id, accountID: owner, renewal: false, budget: budget, at: now) {
/// case .admitted: // place the order
/// case .deferred(let until, let reason): // retry at `until`; tell the tenant `reason`
/// }
/// ```
package struct ACMEOrderBudgetRepository: Sendable {
    /// The limits, per rolling hour.
    package struct Budget: Sendable, Equatable {
        /// Orders the platform places per hour, below the CA's limit on new orders per account (Let's Encrypt:
        /// 300 per 3 hours, so 90 an hour by default).
        package var ordersPerHour: Int
        /// Of those, how many only renewals may use: a first issuance waits while fewer remain.
        package var renewalReserve: Int
        /// Orders one tenant account's domains may cause per hour.
        package var ordersPerAccount: Int

        package init(ordersPerHour: Int = 90, renewalReserve: Int? = nil, ordersPerAccount: Int = 20) {
            self.ordersPerHour = ordersPerHour
            self.renewalReserve = renewalReserve ?? max(1, ordersPerHour / 5)
            self.ordersPerAccount = ordersPerAccount
        }
    }

    /// Whether an order may be placed now.
    package enum Admission: Sendable, Equatable {
        /// Recorded against the budget: place it.
        case admitted
        /// Over budget: try again at `until`; `reason` is a sentence for the tenant.
        case deferred(until: Date, reason: String)
    }

    /// The window the budget counts.
    package static let window: TimeInterval = 3600

    let pool: PostgresPool

    /// Records an order against the budget unless it is used up, atomically: concurrent workers are serialised
    /// by an advisory lock, so a burst cannot pass the limit.
    /// - Parameters:
    ///   - domainID: the domain ordered for; nil for the platform's own certificate.
    ///   - accountID: the tenant account owning the domain; nil for the platform's own certificate, which counts
    ///     only against the platform's budget.
    ///   - renewal: renewals may use the reserve that first issuances leave.
    package func admit(
        domainID: UUID?,
        accountID: UUID?,
        renewal: Bool,
        budget: Budget,
        at now: Date
    ) throws
        -> Admission
    {
        let since = now.addingTimeInterval(-Self.window)
        return try pool.withTransaction { connection in
            try connection.execute("SELECT pg_advisory_xact_lock(hashtext('acme_orders'))")
            let all = try connection.query(
                "SELECT placed_at FROM acme_orders WHERE placed_at > \(since) ORDER BY placed_at"
            ).map { try $0.decode(Date.self, at: 0) }
            let limit = renewal ? budget.ordersPerHour : max(0, budget.ordersPerHour - budget.renewalReserve)
            if all.count >= limit {
                // The hit that must leave the window before one more order fits.
                let freed = all[all.count - limit].addingTimeInterval(Self.window)
                let kind = renewal ? "renewals" : "new certificates (the rest is kept for renewals)"
                return .deferred(
                    until: max(freed, now.addingTimeInterval(1)),
                    reason: "the platform's ACME order budget for \(kind) is used up for this hour; the order is "
                        + "placed at \(freed.formatted(.iso8601))"
                )
            }
            let mine =
                try accountID.map { accountID in
                    try connection.query(
                        """
                        SELECT placed_at FROM acme_orders WHERE account_id = \(accountID) AND placed_at > \(since)
                        ORDER BY placed_at
                        """
                    ).map { try $0.decode(Date.self, at: 0) }
                } ?? []
            if mine.count >= budget.ordersPerAccount {
                let freed = mine[mine.count - budget.ordersPerAccount].addingTimeInterval(Self.window)
                return .deferred(
                    until: max(freed, now.addingTimeInterval(1)),
                    reason: "this account's domains caused \(mine.count) certificate orders in the last hour "
                        + "(at most \(budget.ordersPerAccount)); the order is placed at \(freed.formatted(.iso8601))"
                )
            }
            try connection.execute(
                """
                INSERT INTO acme_orders (domain_id, account_id, renewal, placed_at)
                VALUES (\(domainID), \(accountID), \(renewal), \(now))
                """
            )
            return .admitted
        }
    }
}

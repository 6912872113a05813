package import Foundation

/// One account as the operator sees it (`mtasts admin accounts`).
package struct AccountSummary: Sendable, Hashable {
    package var id: UUID
    package var email: String
    package var createdAt: Date
    /// Domains held (not deleted): pending, verified and offboarding.
    package var domainCount: Int
    /// The account's own limit; nil means the platform default (`MTASTS_DOMAIN_LIMIT`).
    package var domainLimit: Int?
    /// When the operator suspended it; nil while active.
    package var suspendedAt: Date?
    /// The operator's note on the suspension.
    package var suspensionReason: String?
    /// When it last opened a session (sign-up or login); nil when not recorded.
    package var lastSignInAt: Date?
}

/// One domain as the operator sees it (`mtasts admin domains`).
package struct DomainSummary: Sendable, Hashable {
    package var id: UUID
    package var name: String
    package var accountID: UUID
    package var accountEmail: String
    package var status: DomainStatus
    package var createdAt: Date
    package var verifiedAt: Date?
    /// The current policy's mode and id; nil before verification.
    package var policyMode: String?
    package var policyID: String?
    /// When the current certificate of the policy host expires; nil when there is none.
    package var certificateNotAfter: Date?
    /// The worst finding of the worker's last check (`error`, `warning`, `info`) and when it ran; nil before the
    /// first check.
    package var lastCheckSeverity: String?
    package var lastCheckedAt: Date?
}

/// What `mtasts admin transfer` changed.
package struct DomainTransfer: Sendable, Hashable {
    package var domain: DomainRecord
    package var fromAccount: AccountSummary
    package var toAccount: AccountSummary
    /// The target's own unverified claim of the same name, deleted to make room; nil when it had none.
    package var replacedClaim: UUID?
    /// Open alert conditions cleared (the next check opens what still holds, for the new owner).
    package var clearedAlerts: Int
    /// Whether the target's domain limit was exceeded on purpose (`--force`).
    package var exceededLimit: Bool
}

/// The database's own facts for `mtasts admin doctor`.
package struct DatabaseFacts: Sendable, Hashable {
    /// `server_version`, e.g. `15.8 (Debian 15.8-0+deb12u1)`.
    package var serverVersion: String
    /// `pg_is_in_recovery()`: a streaming replica (read-only) rather than a primary.
    package var isReplica: Bool
}

/// A current certificate that expires soon, or has expired (`mtasts admin doctor`).
package struct ExpiringCertificate: Sendable, Hashable {
    package var host: String
    /// `tenant` (a served domain's policy host) or `platform` (`MTASTS_API_HOSTNAME`, the reports host).
    package var kind: String
    package var notAfter: Date
}

/// One edge's heartbeat with how far it is behind the change log (`mtasts admin doctor`).
package struct EdgeStanding: Sendable, Hashable {
    package var instance: String
    package var appliedSequence: Int64
    package var seenAt: Date
    /// The change-log head when the doctor looked.
    package var headSequence: Int64
    /// When the oldest change this edge had not applied was written; nil when it is up to date.
    package var oldestUnappliedAt: Date?
}

package import Database

/// The one owner of the schema: every SQL statement the platform runs against its tables lives in a
/// repository reached from this value.
///
/// Repositories lease connections from the pool per call; operations that must be atomic (verifying a domain
/// and publishing its first policy, rotating a policy and appending to the change log, storing a certificate
/// and telling the edges) run in one transaction inside a single repository method. Callers see typed
/// records and vocabulary (``DomainStatus``, ``ChangeKind``, ``CertificateStatus``, ``JobKind``), never SQL.
///
/// ```swift
/// let store = DataStore(pool: pool)
/// let account = try store.accounts.create(email: "a@example.com", passwordHash: hash, at: now)
/// let domain = try store.domains.create(accountID: account.id, name: name, verificationToken: token,
///                                       defaultLimit: 5, at: now)
/// ```
package struct DataStore: Sendable {
    /// The pool every repository uses.
    package let pool: PostgresPool

    /// Creates a store on `pool`.
    package init(pool: PostgresPool) {
        self.pool = pool
    }

    /// A store with a pool of its own, for a role that must never wait for connections another role holds.
    /// - Parameters:
    ///   - connectionString: a libpq connection string or `postgresql://` URL.
    ///   - maxConnections: the pool's size.
    ///   - statementTimeout: the server-side limit for every statement.
    package init(connectionString: String, maxConnections: Int, statementTimeout: Duration = .seconds(30)) {
        self.init(
            pool: PostgresPool(
                configuration: .init(
                    connectionString: connectionString,
                    maxConnections: maxConnections,
                    statementTimeout: statementTimeout
                )
            )
        )
    }

    /// Closes the pool's idle connections and refuses new leases.
    package func close() {
        pool.close()
    }

    /// Accounts.
    package var accounts: AccountRepository { AccountRepository(pool: pool) }
    /// API tokens and sessions.
    package var tokens: TokenRepository { TokenRepository(pool: pool) }
    /// Domains and their lifecycle.
    package var domains: DomainRepository { DomainRepository(pool: pool) }
    /// Policies and their id history.
    package var policies: PolicyRepository { PolicyRepository(pool: pool) }
    /// The change log that edges and workers follow.
    package var changes: ChangeLogRepository { ChangeLogRepository(pool: pool) }
    /// Invitation codes for invite-only sign-up.
    package var invitations: InvitationRepository { InvitationRepository(pool: pool) }
    /// The platform's own certificates (`MTASTS_API_HOSTNAME`).
    package var platformCertificates: PlatformCertificateRepository { PlatformCertificateRepository(pool: pool) }
    /// The platform's ACME order budget.
    package var acmeOrders: ACMEOrderBudgetRepository { ACMEOrderBudgetRepository(pool: pool) }
    /// Sliding-window rate limits.
    package var rateLimits: RateLimitRepository { RateLimitRepository(pool: pool) }
    /// Certificates, the worker's per-domain certificate state, and certificate scheduling.
    package var certificates: CertificateRepository { CertificateRepository(pool: pool) }
    /// http-01 answers the edges serve.
    package var challenges: ChallengeRepository { ChallengeRepository(pool: pool) }
    /// The platform's ACME accounts, one per directory.
    package var acmeAccounts: ACMEAccountRepository { ACMEAccountRepository(pool: pool) }
    /// What the edges serve: policies, certificates and challenges of served domains, by host.
    package var servedHosts: ServedHostRepository { ServedHostRepository(pool: pool) }
    /// What the worker found looking at each served domain from the outside.
    package var domainChecks: DomainCheckRepository { DomainCheckRepository(pool: pool) }
    /// Platform-wide figures for the worker's `/metrics`.
    package var operatorMetrics: OperatorMetricsRepository { OperatorMetricsRepository(pool: pool) }
    /// MX-change plans.
    package var mxChanges: MXChangePlanRepository { MXChangePlanRepository(pool: pool) }
    /// The conditions tenants are alerted about, while they hold.
    package var alerts: AlertRepository { AlertRepository(pool: pool) }
    /// What the platform's DNS zone serves, by host.
    package var zone: ZoneRepository { ZoneRepository(pool: pool) }
    /// The change-log positions the edges have applied.
    package var edgeHeartbeats: EdgeHeartbeatRepository { EdgeHeartbeatRepository(pool: pool) }
    /// The audit log: what was done to each tenant's rows, by whom, from where.
    package var auditLog: AuditLogRepository { AuditLogRepository(pool: pool) }
    /// Deletes rows that have outlived their purpose.
    package var retention: RetentionRepository { RetentionRepository(pool: pool) }
    /// Every stored secret at once: for the worker's key audit, `mtasts admin doctor` and `rotate-key`.
    package var secrets: SecretRepository { SecretRepository(pool: pool) }
    /// Tenants' webhooks, the receivers of their alerts.
    package var webhooks: WebhookRepository { WebhookRepository(pool: pool) }
    /// Where alerts go out: ``NotificationOutbox/enqueue(_:accountID:at:)``, and the delivery log.
    package var notifications: NotificationOutbox { NotificationOutbox(pool: pool) }
    /// TLS-RPT: the domains' reporting tokens and the reports they received.
    package var reports: ReportRepository { ReportRepository(pool: pool) }
    /// The operator's view across tenants (`mtasts admin`): listing, suspension, limits, transfers, the doctor.
    package var administration: AdministrationRepository { AdministrationRepository(pool: pool) }

    /// The background job queue, leasing jobs as `workerID`.
    package func jobs(workerID: String) -> JobQueue {
        JobQueue(pool: pool, workerID: workerID)
    }

    /// The e-mail deliveries of the notification outbox, leased as `workerID`.
    package func emailDeliveries(workerID: String) -> EmailDeliveryQueue {
        EmailDeliveryQueue(pool: pool, workerID: workerID)
    }

    /// The outbox's due webhook deliveries, leased as `workerID`.
    package func webhookDeliveries(workerID: String) -> WebhookDeliveryQueue {
        WebhookDeliveryQueue(pool: pool, workerID: workerID)
    }

    /// Whether `error` means the database is unreachable or busy for now (connection refused or lost, no
    /// pooled connection free), rather than a refused or failed statement: callers retry these soon without
    /// counting them against the work.
    package static func isUnavailable(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return [.poolTimeout, .connectionFailed, .connectionLost].contains(error.code)
    }
}

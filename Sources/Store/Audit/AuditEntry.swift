package import Foundation

/// One audit log entry: who did what to which of a tenant's things, from where and when.
///
/// ```swift
/// let entry = AuditEntry(accountID: account.id, actor: .token, actorDetail: token.id.uuidString.lowercased(),
///                        action: "domain.create", target: "example.com", requestID: "4f2a…",
///                        sourceAddress: "203.0.113.7", at: now)
/// try store.auditLog.record(entry)
/// ```
package struct AuditEntry: Sendable, Hashable {
    /// The row's id (0 before it is stored): the order of the log, and its pagination cursor.
    package var id: Int64
    /// The tenant whose rows were affected; nil only where there is none.
    package var accountID: UUID?
    /// Who acted.
    package var actor: AuditActorKind
    /// The session's or token's id, the worker's id or the operator's name; never a secret.
    package var actorDetail: String
    /// A stable dotted name such as `domain.create` or `certificate.renew`.
    package var action: String
    /// What the action was about (a domain name, a token, session or webhook id), or nil for the account itself.
    package var target: String?
    /// The API's `X-Request-ID`; nil for the worker.
    package var requestID: String?
    /// The client address the API saw (after trusted proxies); nil for the worker.
    package var sourceAddress: String?
    /// When it happened.
    package var at: Date
    /// A few facts worth keeping, as strings (`old_mode`, `new_mode`, `policy_id`); never a secret.
    package var details: [String: String]

    /// Creates an entry; `id` is assigned when it is stored.
    package init(
        id: Int64 = 0,
        accountID: UUID?,
        actor: AuditActorKind,
        actorDetail: String,
        action: String,
        target: String? = nil,
        requestID: String? = nil,
        sourceAddress: String? = nil,
        at: Date,
        details: [String: String] = [:]
    ) {
        self.id = id
        self.accountID = accountID
        self.actor = actor
        self.actorDetail = actorDetail
        self.action = action
        self.target = target
        self.requestID = requestID
        self.sourceAddress = sourceAddress
        self.at = at
        self.details = details
    }

    /// The actor detail of the worker's entries: tenants read them, so no host name or process id.
    package static let workerActorDetail = "worker"

    /// An entry for something the worker did on `accountID`'s behalf.
    package static func worker(
        accountID: UUID,
        action: String,
        target: String?,
        at: Date,
        details: [String: String] = [:]
    ) -> AuditEntry {
        AuditEntry(
            accountID: accountID,
            actor: .worker,
            actorDetail: workerActorDetail,
            action: action,
            target: target,
            at: at,
            details: details
        )
    }
}

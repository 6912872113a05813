/// A refusal from a repository: the write would break a rule the API reports to the tenant.
///
/// Database failures (connection lost, timeouts) stay `DatabaseError`; this type only carries outcomes a
/// caller is expected to handle. `description` is safe to log. Equality compares `code` only.
package struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule that refused the write.
    package enum Code: String, Sendable, Hashable {
        /// An account with this email (ignoring case) exists.
        case duplicateEmail
        /// The account already has this domain (not deleted).
        case duplicateDomain
        /// The account holds as many domains as it may.
        case domainLimitReached
        /// Another account holds this name verified (or still serves it while offboarding).
        case verifiedByAnotherAccount
        /// `If-Match` named a policy that is no longer current.
        case policyPreconditionFailed
        /// The domain is not in a status that allows the operation.
        case invalidStatus
        /// The row does not exist (or belongs to someone else).
        case notFound
        /// The account holds as many API tokens as it may.
        case tokenLimitReached
        /// The invitation code is unknown, used or expired.
        case invalidInvitation
        /// The domain already has an MX-change plan in progress.
        case planInProgress
        /// The account holds as many webhooks as it may.
        case webhookLimitReached
        /// The account already has a webhook with this URL.
        case duplicateWebhook
        /// A name given by the operator matches more than one row (`mtasts admin transfer`).
        case ambiguous
    }

    /// The rule that refused the write.
    package let code: Code
    /// A sentence safe to show to the tenant.
    package let message: String
    /// The limit that applied, for `domainLimitReached`, `tokenLimitReached` and `webhookLimitReached`.
    package let limit: Int?
    package let file: String
    package let line: Int

    /// Creates an error.
    package init(_ code: Code, _ message: String, limit: Int? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.limit = limit
        self.file = file
        self.line = line
    }

    package static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }

    package var description: String { "store refused (\(code.rawValue)): \(message)" }
}

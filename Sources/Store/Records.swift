package import Foundation
package import MTASTS

/// One row of `accounts`.
package struct AccountRecord: Sendable, Hashable {
    package var id: UUID
    package var email: String
    package var passwordHash: String
    /// The account's own limit; nil means the operator's default applies.
    package var domainLimit: Int?
    package var createdAt: Date
}

/// One row of `api_tokens` (never the secret: only its hash is stored).
package struct TokenRecord: Sendable, Hashable {
    package var id: UUID
    package var accountID: UUID
    package var name: String
    package var kind: TokenKind
    package var createdAt: Date
    package var expiresAt: Date?
    package var lastUsedAt: Date?
}

/// One row of `domains`.
package struct DomainRecord: Sendable, Hashable {
    package var id: UUID
    package var accountID: UUID
    /// The domain's name, parsed (lower-case A-labels).
    package var domainName: DomainName
    package var status: DomainStatus
    package var verificationToken: String
    package var verifiedAt: Date?
    package var verificationMethod: String?
    package var createdAt: Date
    package var deletedAt: Date?
    package var serveUntil: Date?
    /// The domain's stable, opaque label in the platform's DNS zone (`<label>._mta-sts.<zone>`).
    package var dnsLabel: String
    /// Where senders send TLS reports (RFC 8460 §3 `rua` URIs), as the tenant configured them.
    package var tlsrptRUA: [String]
    /// What the domain's own `_mta-sts` record announced when the worker last looked; nil before it looked.
    package var stsRecordCheck: STSRecordCheck?

    /// The A-label name, as stored.
    package var name: String { domainName.name }
}

/// The worker's last look at a domain's `_mta-sts.<domain>` record.
package struct STSRecordCheck: Sendable, Hashable {
    package var status: STSRecordStatus
    /// The id the record announced, when it announced one.
    package var publishedID: String?
    /// A sentence for the tenant, with the exact record to publish when something is wrong.
    package var detail: String
    package var checkedAt: Date
    /// When the worker looks again (sooner after a policy change or a tenant's DNS check).
    package var nextCheckAt: Date?

    package init(
        status: STSRecordStatus,
        publishedID: String?,
        detail: String,
        checkedAt: Date,
        nextCheckAt: Date? = nil
    ) {
        self.status = status
        self.publishedID = publishedID
        self.detail = detail
        self.checkedAt = checkedAt
        self.nextCheckAt = nextCheckAt
    }
}

/// One row of `policies`: one policy text the domain served (or serves) under one id.
package struct PolicyRecord: Sendable, Hashable {
    /// The row id.
    package var rowID: Int64
    package var domainID: UUID
    /// The `id` published in `_mta-sts.<domain>`.
    package var policyID: String
    package var mode: PolicyMode
    package var mx: [String]
    package var maxAge: Int
    /// The exact policy file body.
    package var text: String
    package var createdAt: Date
    /// When a newer policy replaced this one; nil for the current policy.
    package var supersededAt: Date?
}

/// The worker's view of a domain's certificate (`certificate_states`) plus the current certificate's dates.
package struct CertificateStateRecord: Sendable, Hashable {
    package var status: CertificateStatus
    package var lastError: String?
    package var lastErrorAt: Date?
    package var renewAfter: Date?
    package var updatedAt: Date
    package var notBefore: Date?
    package var notAfter: Date?
    /// The current certificate's issuer (RFC 2253), when there is one.
    package var issuer: String?
}

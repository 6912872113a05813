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
    /// When the operator suspended the account (`mtasts admin suspend`); nil while it is active.
    package var suspendedAt: Date? = nil
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
    /// The client address a session was opened from (nil for API tokens).
    package var createdFrom: String?
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
    /// Since when the worker has found no sign of the tenant's control (nil while it finds one).
    package var controlMissingSince: Date?
    /// When the domain was offboarded because control stayed missing through the grace period.
    package var lostAt: Date?
    /// The token of the domain's platform reporting addresses (`…/v1/tlsrpt/<token>`, `<token>@…`).
    package var reportToken: String

    /// The A-label name, as stored.
    package var name: String { domainName.name }

    package init(
        id: UUID,
        accountID: UUID,
        domainName: DomainName,
        status: DomainStatus,
        verificationToken: String,
        verifiedAt: Date?,
        verificationMethod: String?,
        createdAt: Date,
        deletedAt: Date?,
        serveUntil: Date?,
        dnsLabel: String,
        tlsrptRUA: [String],
        controlMissingSince: Date? = nil,
        lostAt: Date? = nil,
        reportToken: String = ""
    ) {
        self.reportToken = reportToken
        self.id = id
        self.accountID = accountID
        self.domainName = domainName
        self.status = status
        self.verificationToken = verificationToken
        self.verifiedAt = verifiedAt
        self.verificationMethod = verificationMethod
        self.createdAt = createdAt
        self.deletedAt = deletedAt
        self.serveUntil = serveUntil
        self.dnsLabel = dnsLabel
        self.tlsrptRUA = tlsrptRUA
        self.controlMissingSince = controlMissingSince
        self.lostAt = lostAt
    }
}

extension DomainRecord {
    /// The label in front of a domain where the ownership TXT record goes.
    package static let verificationLabel = "_mtasts-verify"

    /// `_mtasts-verify.<domain>`, where the ownership TXT record goes.
    package var verificationRecordName: String { Self.verificationLabel + "." + name }
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

    package init(
        rowID: Int64,
        domainID: UUID,
        policyID: String,
        mode: PolicyMode,
        mx: [String],
        maxAge: Int,
        text: String,
        createdAt: Date,
        supersededAt: Date?
    ) {
        self.rowID = rowID
        self.domainID = domainID
        self.policyID = policyID
        self.mode = mode
        self.mx = mx
        self.maxAge = maxAge
        self.text = text
        self.createdAt = createdAt
        self.supersededAt = supersededAt
    }
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

    package init(
        status: CertificateStatus,
        lastError: String?,
        lastErrorAt: Date?,
        renewAfter: Date?,
        updatedAt: Date,
        notBefore: Date?,
        notAfter: Date?,
        issuer: String?
    ) {
        self.status = status
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.renewAfter = renewAfter
        self.updatedAt = updatedAt
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.issuer = issuer
    }
}

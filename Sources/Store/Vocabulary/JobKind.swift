/// What a background job does (`jobs.kind`).
package enum JobKind: String, StoredVocabulary, Sendable, Hashable {
    /// Check the CNAME and CAA, then order (or renew) the certificate of `mta-sts.<domain>`.
    case issueCertificate = "issue_certificate"
    /// Look at the domain from the outside: its `_mta-sts` and `_smtp._tls` records and its policy over HTTPS.
    case checkDomain = "check_domain"
    /// Order (or renew) the platform's own certificate (`MTASTS_API_HOSTNAME`); the job has no domain.
    case issuePlatformCertificate = "issue_platform_certificate"
    /// Move an MX-change plan on: tell the tenant when it is safe to switch, watch the live MX, finish it.
    case advanceMXChange = "advance_mx_change"
}

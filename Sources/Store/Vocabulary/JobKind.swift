/// What a background job does (`jobs.kind`).
package enum JobKind: String, StoredVocabulary, Sendable, Hashable {
    /// Check the CNAME and CAA, then order (or renew) the certificate of `mta-sts.<domain>`.
    case issueCertificate = "issue_certificate"
}

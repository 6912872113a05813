/// What a background job does (`jobs.kind`).
package enum JobKind: String, StoredVocabulary, Sendable, Hashable {
    /// Check the CNAME and CAA, then order (or renew) the certificate of `mta-sts.<domain>`.
    case issueCertificate = "issue_certificate"
    /// Compare the id the domain's own `_mta-sts` record announces with the current policy's (drift).
    case checkSTSRecord = "check_sts_record"
}

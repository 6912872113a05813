/// What a domain's own `_smtp._tls.<domain>` publishes (`domain_checks.tlsrpt_record_status`).
package enum TLSRPTRecordStatus: String, StoredVocabulary, Sendable, Hashable {
    /// One valid TLSRPT record.
    case found
    /// A CNAME into the platform's zone.
    case delegated
    /// No TLSRPT record (optional: senders just send no reports).
    case missing
    /// Several records, or an invalid one: senders send no reports.
    case invalid
    /// The lookup failed.
    case unknown
}

/// What fetching the policy over HTTPS from the outside gave (`domain_checks.policy_fetch_status`).
package enum PolicyFetchStatus: String, StoredVocabulary, Sendable, Hashable {
    /// `https://mta-sts.<domain>/.well-known/mta-sts.txt` answered 200 with exactly the current policy.
    case served
    /// It answered, but not with the current policy text.
    case mismatch
    /// No answer: name, connection, certificate or HTTP status.
    case unreachable
}

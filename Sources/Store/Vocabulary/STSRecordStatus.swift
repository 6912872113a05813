/// What a domain's own `_mta-sts.<domain>` record announces compared with the policy the platform serves
/// (`domains.sts_record_status`), as the worker last found it.
package enum STSRecordStatus: String, StoredVocabulary, Sendable, Hashable {
    /// A TXT record with the current policy id.
    case current
    /// A CNAME into the platform's zone: the platform announces every id itself.
    case delegated
    /// A TXT record with another (older) id: senders keep the old policy until it expires.
    case stale
    /// No MTA-STS record: senders do not use MTA-STS for the domain.
    case missing
    /// More than one MTA-STS record: senders ignore them all (RFC 8461 §3.1).
    case multiple
    /// One record, syntactically invalid: senders ignore it.
    case invalid
    /// The lookup failed; the worker tries again soon.
    case unknown
}

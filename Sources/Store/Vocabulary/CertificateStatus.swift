/// The worker's state of a domain's certificate (`certificate_states.status`), shown to tenants as is.
package enum CertificateStatus: String, StoredVocabulary, Sendable, Hashable {
    /// `mta-sts.<domain>` is not a CNAME to the edge yet; `last_error` names the record to add.
    case waitingForCNAME = "waiting_for_cname"
    /// A CAA record forbids the CA (RFC 8659).
    case caaForbidden = "caa_forbidden"
    /// A first order is in progress.
    case ordering
    /// A valid certificate is served.
    case issued
    /// A renewal order is in progress (the current certificate is still served).
    case renewing
    /// The last order failed; `last_error` has the CA's problem and the worker retries.
    case failed
    /// Orders failed too often in a row: the worker stops ordering until the tenant asks again
    /// (`POST /v1/domains/{name}/certificate/retry`); `last_error` has the CA's last problem.
    case waitingForTenant = "waiting_for_tenant"
    /// The domain is no longer served; nothing is renewed.
    case stopped
}

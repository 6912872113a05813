/// The stable codes of findings; `docs/checks.md` documents each (what it means, why it matters, the fix).
///
/// Raw values are the codes as they appear in JSON, alerts and the documentation: never change one.
package enum CheckCode: String, Sendable, Hashable, CaseIterable {
    // MARK: DNS

    /// A lookup the check depends on failed (SERVFAIL, timeout): the affected verdicts are unknown.
    case dnsLookupFailed = "dns-lookup-failed"
    /// No `v=STSv1` TXT record at `_mta-sts.<domain>`: senders do not use MTA-STS.
    case stsRecordMissing = "sts-record-missing"
    /// More than one `v=STSv1` record: senders treat the domain as having none (RFC 8461 §3.1).
    case stsRecordMultiple = "sts-record-multiple"
    /// The record is invalid, or published at the domain itself instead of `_mta-sts.<domain>`.
    case stsRecordSyntax = "sts-record-syntax"
    /// The published id differs from the id of the policy the platform serves.
    case stsIDMismatch = "sts-id-mismatch"
    /// `mta-sts.<domain>` is not an alias of the platform's edge (for a domain hosted elsewhere: where it points).
    case policyHostNotPointingHere = "policy-host-not-pointing-here"
    /// No TLS-RPT record at `_smtp._tls.<domain>`: nobody hears about failed TLS.
    case tlsrptMissing = "tlsrpt-missing"
    /// The TLS-RPT record is invalid or there are several.
    case tlsrptSyntax = "tlsrpt-syntax"
    /// A TLS-RPT record at the draft label `_smtp-tlsrpt.<domain>`, which senders never read.
    case tlsrptLegacyLabel = "tlsrpt-legacy-label"
    /// CAA records forbid the platform's CA from issuing the policy host's certificate.
    case caaForbidsCA = "caa-forbids-ca"

    // MARK: HTTPS

    /// The policy could not be fetched (DNS, connect, TLS, timeout, malformed HTTP).
    case policyFetchFailed = "policy-fetch-failed"
    /// The policy host's certificate does not verify (chain, name or dates).
    case policyCertInvalid = "policy-cert-invalid"
    /// The policy host's certificate expires within 14 days.
    case policyCertExpiring = "policy-cert-expiring"
    /// The policy host offers no TLS version of 1.2 or newer.
    case policyTLSVersion = "policy-tls-version"
    /// The policy URL answers with a redirect, which senders must not follow (RFC 8461 §3.3).
    case policyRedirect = "policy-redirect"
    /// The policy URL answers with a status other than 200.
    case policyStatus = "policy-status"
    /// The policy is not served as `text/plain`.
    case policyContentType = "policy-content-type"
    /// The policy body is larger than senders accept (64 KiB).
    case policyTooLarge = "policy-too-large"
    /// The policy text is invalid by the RFC's grammar, or only lenient senders accept it.
    case policySyntax = "policy-syntax"
    /// `max_age` is shorter than a day (or than a week in `enforce`).
    case policyMaxAgeShort = "policy-max-age-short"
    /// The domain has been in `testing` for more than 30 days.
    case policyModeTestingLong = "policy-mode-testing-long"

    // MARK: Mail path

    /// The domain has no MX records (or a null MX): there is no mail path for MTA-STS to protect.
    case mxMissing = "mx-missing"
    /// A live MX host matches no `mx` pattern of the policy: senders in enforce mode refuse to deliver to it.
    case mxUncovered = "mx-uncovered"
    /// An `mx` pattern matches no live MX host.
    case mxPatternStale = "mx-pattern-stale"
    /// An MX host could not be reached over SMTP.
    case mxUnreachable = "mx-unreachable"
    /// An MX host does not offer STARTTLS.
    case mxStartTLSMissing = "mx-starttls-missing"
    /// An MX host's certificate does not verify (chain or dates).
    case mxCertInvalid = "mx-cert-invalid"
    /// An MX host's certificate does not name the MX host as a sender checks it (RFC 8461 §4.1).
    case mxCertNameMismatch = "mx-cert-name-mismatch"
    /// An MX host offers no TLS version of 1.2 or newer.
    case mxTLSVersion = "mx-tls-version"
    /// A TLSA record at `_25._tcp.<mx>`: the MX host uses DANE too.
    case mxDANEPresent = "mx-dane-present"
}

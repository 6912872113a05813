package import Foundation
package import TLS

/// How the check reaches the outside world, from `MTASTS_CHECK_*`, `MTASTS_EDGE_HOSTNAME` and
/// `MTASTS_ACME_CAA_IDENTITIES`.
package struct CheckSettings: Sendable {
    /// The name tenants CNAME `mta-sts.<domain>` to.
    package var edgeHostname: String
    /// The CAA issuer domains of the platform's CA (e.g. `letsencrypt.org`); empty skips the CAA check.
    package var caaIdentities: [String]
    /// The roots that verify policy hosts and MX certificates (`MTASTS_CHECK_CA_BUNDLE`, else the system's).
    package var trustRoots: TLSTrustRoots
    /// The port policies are fetched from (443; tests run edges elsewhere).
    package var httpsPort: UInt16
    /// The port MX hosts are probed on (`MTASTS_CHECK_SMTP_PORT`, 25; tests run SMTP servers elsewhere).
    package var smtpPort: UInt16
    /// The budget of one whole check (`MTASTS_CHECK_TIMEOUT`); each network step gets at most what is left.
    package var timeout: Duration
    /// Most MX hosts probed over SMTP in one check (the most preferred ones); 0 probes none.
    package var maximumProbedMXHosts: Int

    /// Thirty seconds.
    package static let defaultTimeout: Duration = .seconds(30)

    /// Creates settings.
    package init(
        edgeHostname: String,
        caaIdentities: [String] = [],
        trustRoots: TLSTrustRoots = .systemDefault,
        httpsPort: UInt16 = 443,
        smtpPort: UInt16 = 25,
        timeout: Duration = defaultTimeout,
        maximumProbedMXHosts: Int = 10
    ) {
        self.edgeHostname = edgeHostname
        self.caaIdentities = caaIdentities
        self.trustRoots = trustRoots
        self.httpsPort = httpsPort
        self.smtpPort = smtpPort
        self.timeout = timeout
        self.maximumProbedMXHosts = maximumProbedMXHosts
    }
}

/// What the platform serves for a hosted domain, which the published records are compared with.
package struct HostedDomainExpectation: Sendable {
    /// The id of the current policy.
    package var policyID: String
    /// The current policy's text.
    package var policyText: String
    /// Since when the domain has been in `testing` without a break; `nil` when its mode is not `testing`.
    package var testingSince: Date?
    /// `<label>._mta-sts.<zone>` when the platform runs its zone.
    package var stsDelegationTarget: String?
    /// `<label>._smtp._tls.<zone>` when the platform runs its zone.
    package var tlsrptDelegationTarget: String?

    /// Creates an expectation.
    package init(
        policyID: String,
        policyText: String,
        testingSince: Date? = nil,
        stsDelegationTarget: String? = nil,
        tlsrptDelegationTarget: String? = nil
    ) {
        self.policyID = policyID
        self.policyText = policyText
        self.testingSince = testingSince
        self.stsDelegationTarget = stsDelegationTarget
        self.tlsrptDelegationTarget = tlsrptDelegationTarget
    }
}

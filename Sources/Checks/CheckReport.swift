package import Foundation
package import MTASTS

/// The result of checking one domain: what was found, and the findings ordered by severity (errors first),
/// then by the order the check runs (DNS, HTTPS, mail path).
package struct CheckReport: Sendable {
    /// The domain checked (A-labels).
    package var domain: String
    /// When the check started.
    package var checkedAt: Date
    /// Whether the domain is hosted on this platform (its verdicts compare with what the platform serves).
    package var hosted: Bool
    /// What the check saw.
    package var observed: CheckObservations
    /// The findings.
    package var findings: [CheckFinding]

    /// Creates a report; sorts `findings` most severe first, keeping the check order within a severity.
    package init(
        domain: String,
        checkedAt: Date,
        hosted: Bool,
        observed: CheckObservations,
        findings: [CheckFinding]
    ) {
        self.domain = domain
        self.checkedAt = checkedAt
        self.hosted = hosted
        self.observed = observed
        self.findings = findings.enumerated()
            .sorted { ($0.element.severity, -$0.offset) > ($1.element.severity, -$1.offset) }
            .map(\.element)
    }

    /// The most severe finding's severity; `nil` when nothing was found.
    package var worstSeverity: CheckSeverity? { findings.map(\.severity).max() }

    /// How many findings have `severity`.
    package func count(_ severity: CheckSeverity) -> Int { findings.count { $0.severity == severity } }

    /// Whether a finding with `code` is present.
    package func contains(_ code: CheckCode) -> Bool { findings.contains { $0.code == code } }
}

/// The raw facts behind a report, also what the worker's setup checklist is derived from.
package struct CheckObservations: Sendable {
    /// What `_mta-sts.<domain>` holds.
    package var stsRecord: TXTObservation
    /// What `_smtp._tls.<domain>` holds.
    package var tlsrptRecord: TXTObservation
    /// What fetching the policy gave.
    package var policyFetch: PolicyFetchObservation
    /// The policy a sender would apply, parsed strictly; `nil` when it could not be fetched or parsed.
    package var policy: Policy?
    /// The CNAME chain of `mta-sts.<domain>` (targets in order); empty when it is no alias.
    package var policyHostAliases: [String]
    /// The live MX hosts, most preferred first; `nil` when the lookup failed.
    package var mxHosts: [String]?

    /// Creates observations.
    package init(
        stsRecord: TXTObservation,
        tlsrptRecord: TXTObservation,
        policyFetch: PolicyFetchObservation,
        policy: Policy?,
        policyHostAliases: [String],
        mxHosts: [String]?
    ) {
        self.stsRecord = stsRecord
        self.tlsrptRecord = tlsrptRecord
        self.policyFetch = policyFetch
        self.policy = policy
        self.policyHostAliases = policyHostAliases
        self.mxHosts = mxHosts
    }
}

/// What a TXT lookup at a discovery name found.
package struct TXTObservation: Sendable, Equatable {
    /// The CNAME target at the name, if it is an alias.
    package var cnameTarget: String?
    /// The TXT RRs found by following any alias (each RR's character-strings); nil when the lookup failed.
    package var txtRecords: [[String]]?
    /// The smallest TTL of the TXT RRs, as the resolver reported it (its remaining cache time).
    package var ttl: UInt32?
    /// Why the lookup failed, when it did.
    package var failure: String?

    /// Creates an observation.
    package init(cnameTarget: String?, txtRecords: [[String]]?, ttl: UInt32? = nil, failure: String? = nil) {
        self.cnameTarget = cnameTarget
        self.txtRecords = txtRecords
        self.ttl = ttl
        self.failure = failure
    }
}

/// What fetching `https://mta-sts.<domain>/.well-known/mta-sts.txt` gave.
package enum PolicyFetchObservation: Sendable, Equatable {
    /// A response: its status and body (the body is cut at the size limit).
    case response(status: Int, body: String)
    /// No usable response: the reason in words.
    case failed(String)
}

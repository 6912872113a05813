package import Foundation
import MTASTS
package import Store

/// Whether a domain is live, as one checklist and one state the API computes and the web form shows.
///
/// Pure: it reads what is stored (the domain, its current policy, the worker's certificate state and its last
/// look at the domain from the outside), never DNS, so listing domains stays cheap. The steps, in the order a
/// tenant does them: ownership, the `mta-sts` CNAME, the `_mta-sts` record (or its CNAME into the platform's
/// zone), the certificate, the policy reachable over HTTPS with the current text, and the optional TLS-RPT
/// record.
package struct DomainSetup: Equatable {
    /// One step of the checklist.
    package struct Step: Equatable {
        package enum Status: String {
            case done
            case actionNeeded = "action_needed"
            case waiting
            case optional
        }

        package var step: String
        package var status: Status
        package var title: String
        package var detail: String
        package var checkedAt: Date?
    }

    /// The overall state.
    package enum State: String {
        case actionNeeded = "action_needed"
        case waiting
        case liveTesting = "live_testing"
        case liveEnforce = "live_enforce"
        case offboarding
    }

    package var state: State
    package var steps: [Step]
    /// The offboarding domain's `serve_until`.
    package var until: Date?

    /// The steps that need the tenant.
    package var actionsNeeded: Int { steps.count { $0.status == .actionNeeded } }

    /// The first thing to do (the first step needing action, else the first waited for).
    package var nextStep: String? {
        (steps.first { $0.status == .actionNeeded } ?? steps.first { $0.status == .waiting }).map(\.title)
    }

    /// Everything the checklist is computed from.
    package struct Facts {
        package var domain: DomainRecord
        package var policy: PolicyRecord?
        package var certificate: CertificateStateRecord?
        package var check: DomainCheckRecord?
        /// `MTASTS_EDGE_HOSTNAME`.
        package var edgeHostname: String
        /// `MTASTS_DNS_ZONE`, when the platform runs its zone.
        package var zone: String?
        /// `MTASTS_OWNERSHIP_GRACE_DAYS`, in seconds.
        package var ownershipGrace: TimeInterval

        package init(
            domain: DomainRecord,
            policy: PolicyRecord?,
            certificate: CertificateStateRecord?,
            check: DomainCheckRecord?,
            edgeHostname: String,
            zone: String?,
            ownershipGrace: TimeInterval = 7 * 86_400
        ) {
            self.domain = domain
            self.policy = policy
            self.certificate = certificate
            self.check = check
            self.edgeHostname = edgeHostname
            self.zone = zone
            self.ownershipGrace = ownershipGrace
        }
    }

    package init(_ facts: Facts) {
        let domain = facts.domain
        let host = domain.domainName.policyHost
        var steps: [Step] = []
        // Ownership.
        if domain.status == .pendingVerification {
            let name = DomainRoutes.verificationRecordName(domain.name)
            steps.append(
                Step(
                    step: "ownership",
                    status: .actionNeeded,
                    title: "Prove you own \(domain.name): publish the TXT record \(name) and verify",
                    detail: "Publish \(name). TXT \"\(domain.verificationToken)\", then press Verify.",
                    checkedAt: nil
                )
            )
        } else if let since = domain.controlMissingSince, domain.status == .verified {
            let name = domain.verificationRecordName
            let deadline = since.addingTimeInterval(facts.ownershipGrace).formatted(.iso8601)
            steps.append(
                Step(
                    step: "ownership",
                    status: .actionNeeded,
                    title: "Show that you still control \(domain.name) before \(deadline)",
                    detail: "Since \(since.formatted(.iso8601)) the platform finds neither the TXT record \(name) "
                        + "nor the CNAME \(host) → \(facts.edgeHostname). Publish either again; otherwise on "
                        + "\(deadline) the domain is offboarded and another account can claim it.",
                    checkedAt: facts.check?.checkedAt
                )
            )
        } else if let lost = domain.lostAt {
            steps.append(
                Step(
                    step: "ownership",
                    status: .actionNeeded,
                    title: "Control of \(domain.name) was lost",
                    detail: "From \(domain.controlMissingSince?.formatted(.iso8601) ?? "-") to "
                        + "\(lost.formatted(.iso8601)) the platform found no sign of your control, so the domain is "
                        + "being offboarded. Add it again to serve a policy for it.",
                    checkedAt: lost
                )
            )
        } else {
            steps.append(
                Step(
                    step: "ownership",
                    status: .done,
                    title: "Ownership proven",
                    detail: "Verified by a TXT record.",
                    checkedAt: domain.verifiedAt
                )
            )
        }
        let verified = domain.status != .pendingVerification
        // The policy host CNAME, as the worker found it while getting the certificate.
        let cname = "\(host) CNAME \(facts.edgeHostname)"
        switch facts.certificate?.status {
        case .waitingForCNAME?:
            steps.append(
                Step(
                    step: "policy_host",
                    status: .actionNeeded,
                    title: "Add the CNAME \(host) → \(facts.edgeHostname)",
                    detail: facts.certificate?.lastError ?? "Publish \(cname).",
                    checkedAt: facts.certificate?.updatedAt
                )
            )
        case nil:
            steps.append(
                Step(
                    step: "policy_host",
                    status: verified ? .waiting : .actionNeeded,
                    title: verified ? "Checking the CNAME \(host)" : "Add the CNAME \(host) → \(facts.edgeHostname)",
                    detail: "Publish \(cname); the platform checks it within seconds.",
                    checkedAt: nil
                )
            )
        case .some:
            steps.append(
                Step(
                    step: "policy_host",
                    status: .done,
                    title: "\(host) points to the platform",
                    detail: "\(cname) is published.",
                    checkedAt: facts.certificate?.updatedAt
                )
            )
        }
        steps.append(Self.stsStep(facts, verified: verified))
        steps.append(Self.certificateStep(facts, host: host))
        steps.append(Self.reachableStep(facts, host: host, certificateDone: steps.last?.status == .done))
        steps.append(Self.tlsrptStep(facts))
        self.steps = steps
        until = domain.status == .offboarding ? domain.serveUntil : nil
        if domain.status == .offboarding {
            state = .offboarding
        } else if steps.contains(where: { $0.status == .actionNeeded }) {
            state = .actionNeeded
        } else if facts.policy?.mode == PolicyMode.none {
            // Served, but telling senders not to use MTA-STS: not live.
            self.steps.append(
                Step(
                    step: "policy_mode",
                    status: .actionNeeded,
                    title: "Set the policy mode to testing",
                    detail: "The policy's mode is none: senders do not use MTA-STS for this domain.",
                    checkedAt: facts.policy?.createdAt
                )
            )
            state = .actionNeeded
        } else if steps.contains(where: { $0.status == .waiting }) {
            state = .waiting
        } else {
            state = facts.policy?.mode == .enforce ? .liveEnforce : .liveTesting
        }
    }

    private static func stsStep(_ facts: Facts, verified: Bool) -> Step {
        let name = facts.domain.domainName.stsRecordName
        let title: String
        if let zone = facts.zone {
            title = "Publish \(name) as a CNAME to \(DelegatedNames.sts(label: facts.domain.dnsLabel, zone: zone))"
        } else if let policy = facts.policy {
            title = "Publish \(name) TXT \"v=STSv1; id=\(policy.policyID)\""
        } else {
            title = "Publish the \(name) record once the domain is verified"
        }
        guard verified, let check = facts.check else {
            return Step(
                step: "sts_record",
                status: verified ? .waiting : .actionNeeded,
                title: title,
                detail: verified ? "The platform looks for it within seconds." : "It announces the policy to senders.",
                checkedAt: nil
            )
        }
        let status: Step.Status =
            switch check.stsRecord {
            case .current, .delegated: .done
            case .unknown: .waiting
            case .stale, .missing, .multiple, .invalid: .actionNeeded
            }
        return Step(
            step: "sts_record",
            status: status,
            title: status == .done ? "\(name) announces the current policy" : title,
            detail: check.stsRecordDetail,
            checkedAt: check.checkedAt
        )
    }

    private static func certificateStep(_ facts: Facts, host: String) -> Step {
        guard let certificate = facts.certificate else {
            return Step(
                step: "certificate",
                status: .waiting,
                title: "Certificate for \(host)",
                detail: "Issued automatically once \(host) points to the platform.",
                checkedAt: nil
            )
        }
        switch certificate.status {
        case .issued, .renewing:
            let expiry = certificate.notAfter.map { " until \($0.formatted(.iso8601))" } ?? ""
            return Step(
                step: "certificate",
                status: .done,
                title: "Certificate for \(host) issued",
                detail: "Valid\(expiry); renewed automatically.",
                checkedAt: certificate.updatedAt
            )
        case .caaForbidden:
            return Step(
                step: "certificate",
                status: .actionNeeded,
                title: "Allow the platform's CA in your CAA records",
                detail: certificate.lastError ?? "A CAA record forbids the certificate authority.",
                checkedAt: certificate.updatedAt
            )
        case .waitingForCNAME, .ordering, .failed, .stopped:
            return Step(
                step: "certificate",
                status: .waiting,
                title: "Certificate for \(host) being issued",
                detail: certificate.status == .failed
                    ? "The last attempt failed (\(certificate.lastError ?? "unknown")); the platform retries."
                    : "The platform orders it once \(host) points to it.",
                checkedAt: certificate.updatedAt
            )
        }
    }

    private static func reachableStep(_ facts: Facts, host: String, certificateDone: Bool) -> Step {
        let url = "https://\(host)/.well-known/mta-sts.txt"
        guard let check = facts.check, certificateDone else {
            return Step(
                step: "policy_reachable",
                status: .waiting,
                title: "Policy reachable at \(url)",
                detail: "Checked once the certificate is issued.",
                checkedAt: facts.check?.checkedAt
            )
        }
        let status: Step.Status =
            switch check.policyFetch {
            case .served: .done
            case .mismatch: .waiting
            case .unreachable: .actionNeeded
            }
        return Step(
            step: "policy_reachable",
            status: status,
            title: status == .done ? "Senders can fetch the policy" : "Policy reachable at \(url)",
            detail: check.policyFetchDetail,
            checkedAt: check.checkedAt
        )
    }

    private static func tlsrptStep(_ facts: Facts) -> Step {
        let name = facts.domain.domainName.tlsrptRecordName
        guard let check = facts.check, check.tlsrptRecord == .found || check.tlsrptRecord == .delegated else {
            return Step(
                step: "tlsrpt",
                status: .optional,
                title: "Optional: publish \(name) for TLS reports",
                detail: facts.check?.tlsrptRecordDetail ?? "Senders then report failed TLS connections to you.",
                checkedAt: facts.check?.checkedAt
            )
        }
        return Step(
            step: "tlsrpt",
            status: .done,
            title: "TLS reports are sent",
            detail: check.tlsrptRecordDetail,
            checkedAt: check.checkedAt
        )
    }
}

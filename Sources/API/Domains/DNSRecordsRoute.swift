import DNS
import Foundation
import HTTPCore
import JSON
import MTASTS
import Store
import TLSReporting

/// `GET /v1/domains/{name}/dns-records`: the records the tenant publishes, each with its live status.
enum DNSRecordsRoute {
    static func register(on router: inout Router) {
        router.get("/v1/domains/{name}/dns-records") { request, context in
            let (caller, domain) = try DomainRoutes.owned(request, context)
            return try context.withLiveLookups(for: caller) { live in try records(caller, domain, live, context) }
        }
    }

    private static func records(
        _ caller: Authenticated,
        _ domain: DomainRecord,
        _ live: LiveLookup,
        _ context: RequestContext
    ) throws -> JSONResponse {
        let zone = context.environment.dnsZone
        var queries: [LiveLookup.Query] = [
            .init(name: domain.domainName.policyHost, type: .cname),
            .init(name: domain.domainName.stsRecordName, type: .txt),
            .init(name: domain.domainName.tlsrptRecordName, type: .txt),
        ]
        if domain.status == .pendingVerification {
            queries.append(.init(name: DomainRoutes.verificationRecordName(domain.name), type: .txt))
        }
        if zone != nil {
            queries.append(.init(name: domain.domainName.stsRecordName, type: .cname))
            queries.append(.init(name: domain.domainName.tlsrptRecordName, type: .cname))
        }
        live.prefetch(queries)
        var records: [JSONValue] = []
        if domain.status == .pendingVerification {
            let name = DomainRoutes.verificationRecordName(domain.name)
            let outcome = live.lookup(name, type: .txt)
            records.append(
                entry(
                    name: name,
                    type: "TXT",
                    value: domain.verificationToken,
                    purpose: "Proves that you control the domain; remove it after verification.",
                    outcome: outcome,
                    status: txtStatus(outcome) { $0 == domain.verificationToken }
                )
            )
        }
        let edge = context.environment.edgeHostname
        let policyHost = domain.domainName.policyHost
        let cname = live.lookup(policyHost, type: .cname)
        records.append(
            entry(
                name: policyHost,
                type: "CNAME",
                value: edge,
                purpose: "Points the policy host at the platform, which serves the policy over HTTPS.",
                outcome: cname,
                status: status(cname) { values in
                    values.contains { $0.lowercased() == edge.lowercased() }
                }
            )
        )
        if let policy = try context.store.policies.current(domainID: domain.id) {
            // The tenant is looking at its records now: have the worker look again at once, so the setup
            // checklist follows what was just published (at most every 15 s, however often a page polls).
            let checked = try context.store.domainChecks.find(domainIDs: [domain.id])[domain.id]?.checkedAt
            if checked.map({ context.now.timeIntervalSince($0) >= 15 }) ?? true {
                try context.store.jobs(workerID: "api").enqueue(kind: .checkDomain, domainID: domain.id)
            }
            let name = domain.domainName.stsRecordName
            let expected = "v=STSv1; id=\(policy.policyID)"
            let outcome = live.lookup(name, type: .txt)
            let sts = STSRecord.discover(txtRecords: outcome.values.map { [$0] })
            let delegation = zone.map {
                Delegation(DelegatedNames.sts(label: domain.dnsLabel, zone: $0), live, name)
            }
            records.append(
                entry(
                    name: name,
                    type: "TXT",
                    value: expected,
                    purpose: "Announces the policy and its id; senders fetch the policy again when the id changes.",
                    outcome: outcome,
                    status: delegation?.isPublished == true
                        ? "found"
                        : status(outcome) { _ in
                            if case .found(let record) = sts { return record.id.string == policy.policyID }
                            return false
                        },
                    delegation: delegation,
                    recommendation:
                        "Recommended: CNAME this name to the platform's zone and every new id reaches senders by itself."
                )
            )
        }
        let reportName = domain.domainName.tlsrptRecordName
        // The platform's own addresses first (its reports views read them), then the tenant's; without either,
        // the account's e-mail.
        let reporting = context.environment.reporting
        let suggestion =
            reporting.record(token: domain.reportToken, tenant: domain.tlsrptRUA)
            ?? "v=TLSRPTv1; rua=mailto:\(caller.account.email)"
        let reports = live.lookup(reportName, type: .txt)
        // The zone serves `_smtp._tls` when it has addresses to serve: the platform's, or the tenant's (PUT …/tlsrpt).
        let reportDelegation = zone.flatMap { zone in
            !reporting.isEnabled && domain.tlsrptRUA.isEmpty
                ? nil : Delegation(DelegatedNames.tlsrpt(label: domain.dnsLabel, zone: zone), live, reportName)
        }
        records.append(
            entry(
                name: reportName,
                type: "TXT",
                value: suggestion,
                purpose: "Optional (RFC 8460): where senders mail TLS reports; any valid TLSRPT record counts.",
                outcome: reports,
                status: reportDelegation?.isPublished == true
                    ? "found"
                    : status(reports) { values in
                        if case .found = TLSRPTRecord.discover(txtRecords: values.map { [$0] }) { return true }
                        return false
                    },
                delegation: reportDelegation,
                recommendation:
                    "Recommended: CNAME this name to the platform's zone, which serves the addresses set here."
            )
        )
        return JSONResponse(.ok, ["domain": .string(domain.name), "records": .array(records)])
    }

    /// `found` when the check passes, `missing` when nothing is there, `wrong` when something else is,
    /// `unknown` when the resolver failed.
    private static func status(_ outcome: LiveLookup.Outcome, _ matches: ([String]) -> Bool) -> String {
        if outcome.isFailure { return "unknown" }
        if outcome.values.isEmpty { return "missing" }
        return matches(outcome.values) ? "found" : "wrong"
    }

    private static func txtStatus(_ outcome: LiveLookup.Outcome, _ matches: (String) -> Bool) -> String {
        status(outcome) { $0.contains(where: matches) }
    }

    private static func entry(
        name: String,
        type: String,
        value: String,
        purpose: String,
        outcome: LiveLookup.Outcome,
        status: String,
        delegation: Delegation? = nil,
        recommendation: String? = nil
    ) -> JSONValue {
        let members: JSONValue = [
            "name": .string(name), "type": .string(type), "value": .string(value), "purpose": .string(purpose),
            "status": .string(status), "found": outcome.json,
        ]
        guard let delegation else { return members }
        let publishedAs: JSONValue =
            delegation.isPublished ? "cname" : (status == "found" ? .string(type.lowercased()) : .null)
        return members.adding([
            "delegation": [
                "type": "CNAME", "value": .string(delegation.target), "recommended": true,
                "purpose": .string(recommendation), "published": .bool(delegation.isPublished),
                "found": delegation.outcome.json,
            ],
            "published_as": publishedAs,
        ])
    }

    /// The CNAME a tenant may publish instead of a record of its own, and whether it is there.
    struct Delegation {
        /// `<label>._mta-sts.<zone>` or `<label>._smtp._tls.<zone>`.
        let target: String
        /// The live CNAME lookup at the tenant's name.
        let outcome: LiveLookup.Outcome

        init(_ target: String, _ live: LiveLookup, _ name: String) {
            self.target = target
            outcome = live.lookup(name, type: .cname)
        }

        /// Whether the tenant's name is a CNAME to `target`.
        var isPublished: Bool {
            guard let expected = try? DNSName(target) else { return false }
            return outcome.values.contains { (try? DNSName($0)) == expected }
        }
    }
}

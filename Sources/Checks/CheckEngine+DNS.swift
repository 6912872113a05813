import DNS
import MTASTS

// MARK: - DNS: the records senders and CAs look up

extension CheckEngine {
    /// `_mta-sts`, the apex, `mta-sts` (where it points), `_smtp._tls` and its draft label, and CAA.
    func dnsSection(_ domain: DomainName, hosted: HostedDomainExpectation?) -> SectionResult {
        var result = SectionResult()
        let sts = observeTXT(domain.stsRecordName)
        result.stsRecord = sts
        result.findings += stsFindings(sts, domain: domain, hosted: hosted)
        let tlsrpt = observeTXT(domain.tlsrptRecordName)
        result.tlsrptRecord = tlsrpt
        result.findings += tlsrptFindings(tlsrpt, domain: domain, hosted: hosted)
        let (aliases, hostFindings) = policyHostFindings(domain, hosted: hosted)
        result.policyHostAliases = aliases
        result.findings += hostFindings
        result.findings += caaFindings(domain, hosted: hosted)
        return result
    }

    // MARK: _mta-sts

    private func stsFindings(
        _ observation: TXTObservation,
        domain: DomainName,
        hosted: HostedDomainExpectation?
    ) -> [CheckFinding] {
        let name = domain.stsRecordName
        guard let records = observation.txtRecords else {
            return [
                Self.lookupFailed(
                    name,
                    type: "TXT",
                    reason: observation.failure ?? "no answer",
                    affects: "Whether senders see an MTA-STS record is unknown."
                )
            ]
        }
        let publish = hosted.map { "Publish \(name). TXT \"v=STSv1; id=\($0.policyID)\"" + delegationHint($0, name) }
        switch STSRecord.discover(txtRecords: records) {
        case .found(let record):
            guard let hosted, record.id.string != hosted.policyID else { return [] }
            let ttl = observation.ttl.map(Int.init)
            let wait =
                ttl.map { " Resolvers may keep the old answer for up to \($0) more seconds after you fix it." } ?? ""
            return [
                CheckFinding(
                    .stsIDMismatch,
                    .error,
                    "\(name) announces id \(record.id.string), but the policy served has id \(hosted.policyID): senders "
                        + "that cached the old policy keep applying it until its max_age runs out.\(wait)",
                    fix: (publish ?? "") + ".",
                    details: [
                        .string("published_id", record.id.string), .string("served_id", hosted.policyID),
                    ] + (ttl.map { [.integer("ttl", $0)] } ?? [])
                )
            ]
        case .none:
            if let apex = apexSTSRecord(domain) {
                return [
                    CheckFinding(
                        .stsRecordSyntax,
                        .error,
                        "The MTA-STS record \"\(apex)\" is published at \(domain.name) itself; senders look only at "
                            + "\(name), so they do not use MTA-STS.",
                        fix: (publish ?? "Publish the record at \(name)") + ", and remove it from \(domain.name).",
                        details: [.string("name", domain.name), .string("record", apex)]
                    )
                ]
            }
            return [
                CheckFinding(
                    .stsRecordMissing,
                    .error,
                    "\(name) has no MTA-STS record (\"v=STSv1; id=…\"), so senders do not look for a policy.",
                    fix: publish.map { $0 + "." } ?? "Publish \(name). TXT \"v=STSv1; id=<policy id>\".",
                    details: [.string("name", name)]
                )
            ]
        case .multiple(let count):
            return [
                CheckFinding(
                    .stsRecordMultiple,
                    .error,
                    "\(name) has \(count) MTA-STS records; senders treat that as no record at all (RFC 8461 §3.1).",
                    fix: "Keep exactly one. " + (publish.map { $0 + "." } ?? ""),
                    details: [.string("name", name), .strings("records", Self.candidates(records, "v=STSv1"))]
                )
            ]
        case .invalid(let error):
            return [
                CheckFinding(
                    .stsRecordSyntax,
                    .error,
                    "The MTA-STS record at \(name) is invalid (\(error.message)); senders ignore it.",
                    fix: publish.map { $0 + "." } ?? "Publish \"v=STSv1; id=<1 to 32 letters and digits>\".",
                    details: [.string("name", name), .strings("records", Self.candidates(records, "v=STSv1"))]
                )
            ]
        }
    }

    private func delegationHint(_ hosted: HostedDomainExpectation, _ name: String) -> String {
        hosted.stsDelegationTarget.map { " (or CNAME \(name). to \($0). and new ids reach senders by themselves)" }
            ?? ""
    }

    /// A `v=STSv1` TXT record at the domain itself, the mistake of publishing at the wrong name.
    private func apexSTSRecord(_ domain: DomainName) -> String? {
        observeTXT(domain.name).txtRecords?.map { $0.joined() }.first { $0.hasPrefix("v=STSv1") }
    }

    /// The texts of the records with `prefix`, as senders select them.
    static func candidates(_ records: [[String]], _ prefix: String) -> [String] {
        records.map { $0.joined() }.filter { $0.hasPrefix(prefix) }
    }

    // MARK: _smtp._tls

    private func tlsrptFindings(
        _ observation: TXTObservation,
        domain: DomainName,
        hosted: HostedDomainExpectation?
    ) -> [CheckFinding] {
        let name = domain.tlsrptRecordName
        guard let records = observation.txtRecords else {
            return [
                Self.lookupFailed(
                    name,
                    type: "TXT",
                    reason: observation.failure ?? "no answer",
                    affects: "Whether senders send TLS reports is unknown."
                )
            ]
        }
        var findings: [CheckFinding] = []
        let example = "Publish \(name). TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@\(domain.name)\""
        let delegation = hosted?.tlsrptDelegationTarget.map { " (or CNAME \(name). to \($0).)" } ?? ""
        switch TLSRPTRecord.discover(txtRecords: records) {
        case .found:
            break
        case .none:
            findings.append(
                CheckFinding(
                    .tlsrptMissing,
                    .warning,
                    "\(name) has no TLS-RPT record, so nobody hears when senders fail to deliver over TLS: problems "
                        + "with the policy or the MX certificates stay invisible until mail bounces.",
                    fix: example + delegation + ".",
                    details: [.string("name", name)]
                )
            )
        case .multiple(let count):
            findings.append(
                CheckFinding(
                    .tlsrptSyntax,
                    .warning,
                    "\(name) has \(count) TLS-RPT records; senders ignore them all (RFC 8460 §3).",
                    fix: "Keep exactly one record; list every address in its rua, separated by commas.",
                    details: [.string("name", name), .strings("records", Self.candidates(records, "v=TLSRPTv1"))]
                )
            )
        case .invalid(let error):
            findings.append(
                CheckFinding(
                    .tlsrptSyntax,
                    .warning,
                    "The TLS-RPT record at \(name) is invalid (\(error.message)); senders ignore it.",
                    fix: example + ".",
                    details: [.string("name", name), .strings("records", Self.candidates(records, "v=TLSRPTv1"))]
                )
            )
        }
        let legacyName = "_smtp-tlsrpt.\(domain.name)"
        if let legacy = observeTXT(legacyName).txtRecords?.map({ $0.joined() }).first(where: {
            $0.hasPrefix("v=TLSRPTv1")
        }) {
            findings.append(
                CheckFinding(
                    .tlsrptLegacyLabel,
                    .warning,
                    "A TLS-RPT record is published at \(legacyName), a label from drafts of RFC 8460 that senders "
                        + "never read.",
                    fix: "Publish it at \(name) instead and remove \(legacyName).",
                    details: [.string("name", legacyName), .string("record", legacy)]
                )
            )
        }
        return findings
    }

    // MARK: mta-sts.<domain>

    /// Where the policy host points: for a hosted domain it must be an alias of the edge; for any other domain,
    /// where it points instead (only when it leads to an address: a name that resolves nowhere is not "hosted
    /// elsewhere", and the policy fetch reports it as an error already).
    private func policyHostFindings(
        _ domain: DomainName,
        hosted: HostedDomainExpectation?
    ) -> (aliases: [String], findings: [CheckFinding]) {
        let host = domain.policyHost
        guard let name = try? DNSName(host) else { return ([], []) }
        let result = dns.query(name, type: .a)
        let aliases = result.cnameChain.map(\.description)
        let edge = try? DNSName(settings.edgeHostname)
        let pointsHere = result.cnameChain.contains { $0 == edge }
        switch result {
        case .serverFailure, .timeout, .networkError:
            return (
                [],
                [
                    Self.lookupFailed(
                        host,
                        type: "A",
                        reason: Self.describe(result),
                        affects: "Where the policy host points is unknown."
                    )
                ]
            )
        case .answer, .nxdomain, .noData:
            break
        }
        if pointsHere { return (aliases, []) }
        let target: String
        switch result {
        case .answer(let records, _):
            let addresses = records.compactMap { record -> String? in
                if case .a(let address) = record.data { return "\(IPAddress.v4(address))" }
                return nil
            }
            target =
                aliases.last.map { "is an alias of \($0)" }
                ?? "has the address \(addresses.joined(separator: ", ")) and no CNAME"
        case .nxdomain:
            // Not hosted anywhere: for a domain not hosted here the failed policy fetch says all there is.
            guard hosted != nil else { return (aliases, []) }
            target = aliases.last.map { "is an alias of \($0), which does not exist" } ?? "does not exist"
        default:
            guard hosted != nil else { return (aliases, []) }
            target = aliases.last.map { "is an alias of \($0), which has no address" } ?? "has no address"
        }
        let fix = "Publish \(host). CNAME \(settings.edgeHostname). (and no other records at \(host))."
        if hosted != nil {
            return (
                aliases,
                [
                    CheckFinding(
                        .policyHostNotPointingHere,
                        .error,
                        "\(host) \(target), not the platform's edge \(settings.edgeHostname): senders do not fetch "
                            + "the policy the platform serves for this domain.",
                        fix: fix,
                        details: [.string("host", host), .strings("aliases", aliases)]
                    )
                ]
            )
        }
        return (
            aliases,
            [
                CheckFinding(
                    .policyHostNotPointingHere,
                    .info,
                    "\(host) \(target): the policy is hosted elsewhere, not on this platform.",
                    fix: "Nothing to do unless you move the domain to this platform; then: \(fix)",
                    details: [.string("host", host), .strings("aliases", aliases)]
                )
            ]
        )
    }

    // MARK: CAA

    private func caaFindings(_ domain: DomainName, hosted: HostedDomainExpectation?) -> [CheckFinding] {
        guard !settings.caaIdentities.isEmpty else { return [] }
        let host = domain.policyHost
        let evaluation: (decision: CAAPolicy.Decision, relevantName: String?)
        do {
            evaluation = try CAAPolicy.evaluate(name: host, caIdentities: settings.caaIdentities) {
                name throws(DNSError) in
                try dns.caa(name)
            }
        } catch {
            return [
                Self.lookupFailed(
                    host,
                    type: "CAA",
                    reason: error.code == .serverFailure
                        ? "the resolver answered SERVFAIL" : "the resolver could not be reached (\(error.message))",
                    affects: "Whether the platform's CA may issue the policy host's certificate is unknown."
                )
            ]
        }
        guard case .forbidden(let reason) = evaluation.decision else { return [] }
        let at = evaluation.relevantName ?? domain.name
        let issuer = settings.caaIdentities.first ?? ""
        return [
            CheckFinding(
                .caaForbidsCA,
                hosted != nil ? .error : .info,
                "\(reason): the platform's CA may not issue the certificate for \(host)"
                    + (hosted != nil ? ", so it cannot be issued or renewed." : " (relevant only when hosted here)."),
                fix: "Add \(at). CAA 0 issue \"\(issuer)\" beside the existing CAA records.",
                details: [.string("name", at), .strings("ca_identities", settings.caaIdentities)]
            )
        ]
    }
}

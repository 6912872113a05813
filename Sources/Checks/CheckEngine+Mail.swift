import DNS
import MTASTS

// MARK: - Mail path: the live MX hosts against the policy

extension CheckEngine {
    /// Looks up the live MX hosts.
    func mailSection(_ domain: DomainName) -> SectionResult {
        var result = SectionResult()
        guard let name = try? DNSName(domain.name) else { return result }
        let lookup = dns.query(name, type: .mx)
        switch lookup {
        case .answer(let records, _):
            let exchanges = records.compactMap { record -> (UInt16, String)? in
                guard case .mx(let mx) = record.data else { return nil }
                return (mx.preference, mx.exchange.description.lowercased())
            }.sorted { $0.0 < $1.0 }.map(\.1)
            if exchanges == [""] || exchanges == ["."] {
                result.mxHosts = []
                result.findings.append(
                    CheckFinding(
                        .mxMissing,
                        .info,
                        "\(domain.name) publishes a null MX (RFC 7505): it receives no mail, so MTA-STS protects "
                            + "nothing.",
                        fix: "Nothing to do if the domain sends no mail to itself; otherwise publish its MX records.",
                        details: [.string("domain", domain.name)]
                    )
                )
            } else {
                result.mxHosts = exchanges
                result.findings += probeFindings(exchanges)
            }
        case .nxdomain, .noData:
            result.mxHosts = []
            result.findings.append(
                CheckFinding(
                    .mxMissing,
                    .warning,
                    "\(domain.name) has no MX records: senders fall back to its address, and a policy cannot "
                        + "describe that host reliably.",
                    fix: "Publish the domain's MX records.",
                    details: [.string("domain", domain.name)]
                )
            )
        case .serverFailure, .timeout, .networkError:
            result.findings.append(
                Self.lookupFailed(
                    domain.name,
                    type: "MX",
                    reason: Self.describe(lookup),
                    affects: "Whether the policy covers the mail hosts is unknown."
                )
            )
        }
        return result
    }

    /// `mx-uncovered` for each live MX host no pattern matches (one-label wildcards, RFC 8461 §4.1) and
    /// `mx-pattern-stale` for each pattern that matches no live MX host.
    func coverageFindings(policy: Policy?, mxHosts: [String]?) -> [CheckFinding] {
        guard let policy, policy.mode != .none, let mxHosts, !mxHosts.isEmpty else { return [] }
        var findings: [CheckFinding] = []
        let patterns = policy.mx.map(\.description)
        for host in mxHosts where !policy.mx.contains(where: { $0.matches(host) }) {
            let enforced = policy.mode == .enforce
            findings.append(
                CheckFinding(
                    .mxUncovered,
                    enforced ? .error : .warning,
                    "The MX host \(host) matches no mx pattern of the policy (\(patterns.joined(separator: ", "))): "
                        + (enforced
                            ? "senders that apply the policy refuse to deliver to it."
                            : "in enforce mode senders would refuse to deliver to it; in testing they report it."),
                    fix: "Add \"mx: \(host)\" (or a wildcard covering exactly its first label, \"mx: *."
                        + "\(host.split(separator: ".", maxSplits: 1).last.map(String.init) ?? host)\") to the policy.",
                    details: [.string("mx_host", host), .strings("patterns", patterns)]
                )
            )
        }
        for pattern in policy.mx where !mxHosts.contains(where: { pattern.matches($0) }) {
            findings.append(
                CheckFinding(
                    .mxPatternStale,
                    .warning,
                    "The mx pattern \(pattern) matches none of the live MX hosts (\(mxHosts.joined(separator: ", "))).",
                    fix: "Remove \"mx: \(pattern)\" from the policy unless you are about to add that host to the MX "
                        + "records.",
                    details: [.string("pattern", pattern.description), .strings("mx_hosts", mxHosts)]
                )
            )
        }
        return findings
    }
}

import Foundation
package import JSON
import MTASTS

// MARK: - The report as JSON (the CLI's --json, the API, the stored history)

extension CheckReport {
    /// `{domain, checked_at, hosted, summary, observed, findings: [{code, severity, message, fix, …details}]}`.
    package var json: JSONValue {
        var observedMembers: [JSONMember] = [
            JSONMember(key: "sts_record", value: .string(observed.stsRecord.txtRecords.flatMap { Self.stsText($0) })),
            JSONMember(key: "policy_host_aliases", value: .array(observed.policyHostAliases.map(JSONValue.string))),
            JSONMember(key: "mx_hosts", value: observed.mxHosts.map { .array($0.map(JSONValue.string)) } ?? .null),
        ]
        if let policy = observed.policy {
            observedMembers.append(
                JSONMember(
                    key: "policy",
                    value: .object([
                        JSONMember(key: "mode", value: .string(policy.mode.rawValue)),
                        JSONMember(key: "mx", value: .array(policy.mx.map { .string($0.description) })),
                        JSONMember(key: "max_age", value: .int(policy.maxAge)),
                    ])
                )
            )
        } else {
            observedMembers.append(JSONMember(key: "policy", value: .null))
        }
        return .object([
            JSONMember(key: "domain", value: .string(domain)),
            JSONMember(key: "checked_at", value: .string(checkedAt.formatted(.iso8601))),
            JSONMember(key: "hosted", value: .bool(hosted)),
            JSONMember(
                key: "summary",
                value: .object([
                    JSONMember(key: "worst_severity", value: .string(worstSeverity?.rawValue)),
                    JSONMember(key: "errors", value: .int(count(.error))),
                    JSONMember(key: "warnings", value: .int(count(.warning))),
                    JSONMember(key: "infos", value: .int(count(.info))),
                ])
            ),
            JSONMember(key: "observed", value: .object(observedMembers)),
            JSONMember(key: "findings", value: .array(findings.map(\.json))),
        ])
    }

    private static func stsText(_ records: [[String]]) -> String? {
        let candidates = CheckEngine.candidates(records, "v=STSv1")
        return candidates.count == 1 ? candidates[0] : nil
    }
}

extension CheckFinding {
    /// `{code, severity, message, fix, …details}`.
    package var json: JSONValue {
        var members = [
            JSONMember(key: "code", value: .string(code.rawValue)),
            JSONMember(key: "severity", value: .string(severity.rawValue)),
            JSONMember(key: "message", value: .string(message)),
            JSONMember(key: "fix", value: .string(fix)),
        ]
        for detail in details {
            let value: JSONValue =
                switch detail.value {
                case .string(let text): .string(text)
                case .integer(let number): .int(number)
                case .strings(let list): .array(list.map(JSONValue.string))
                }
            members.append(JSONMember(key: detail.key, value: value))
        }
        return .object(members)
    }
}

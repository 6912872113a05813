import Foundation
import JSON
import MTASTS
import Store

extension JSONValue {
    /// An RFC 3339 UTC timestamp, or null.
    static func date(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(date.formatted(.iso8601))
    }

    /// An account as `GET /v1/account` shows it.
    static func account(_ account: AccountRecord, domainLimit: Int, domainCount: Int) -> JSONValue {
        [
            "id": .string(account.id.uuidString.lowercased()), "email": .string(account.email),
            "created_at": .date(account.createdAt), "domain_limit": .int(account.domainLimit ?? domainLimit),
            "domain_count": .int(domainCount),
        ]
    }

    /// A token without its secret.
    static func token(_ token: TokenRecord) -> JSONValue {
        [
            "id": .string(token.id.uuidString.lowercased()), "name": .string(token.name),
            "kind": .string(token.kind.rawValue), "created_at": .date(token.createdAt),
            "expires_at": .date(token.expiresAt), "last_used_at": .date(token.lastUsedAt),
        ]
    }

    /// The verification record a pending domain must publish.
    static func verification(_ domain: DomainRecord) -> JSONValue {
        [
            "name": .string(DomainRoutes.verificationRecordName(domain.name)), "type": "TXT",
            "value": .string(domain.verificationToken),
        ]
    }

    /// A domain with its setup checklist and the worker's last look at it.
    static func domain(_ view: DomainView) -> JSONValue {
        let domain = view.domain
        var members: [JSONMember] = [
            JSONMember(key: "name", value: .string(domain.name)),
            JSONMember(key: "unicode_name", value: .string(domain.domainName.unicodeName)),
            JSONMember(key: "status", value: .string(domain.status.rawValue)),
            JSONMember(key: "created_at", value: .date(domain.createdAt)),
            JSONMember(key: "verified_at", value: .date(domain.verifiedAt)),
            JSONMember(key: "verification_method", value: .string(domain.verificationMethod)),
        ]
        if domain.status == .pendingVerification {
            members.append(JSONMember(key: "verification", value: .verification(domain)))
        }
        if domain.status == .offboarding {
            members.append(JSONMember(key: "serve_until", value: .date(domain.serveUntil)))
        }
        if domain.status == .verified || domain.lostAt != nil {
            members.append(JSONMember(key: "control_missing_since", value: .date(domain.controlMissingSince)))
        }
        if let lost = domain.lostAt { members.append(JSONMember(key: "lost_at", value: .date(lost))) }
        members.append(JSONMember(key: "setup", value: .setup(view.setup)))
        members.append(JSONMember(key: "sts_record", value: view.check.map(JSONValue.stsRecord) ?? .null))
        members.append(JSONMember(key: "check", value: view.check.map(JSONValue.checkSummary) ?? .null))
        return .object(members)
    }

    /// The worker's last full check in brief; the report is at `…/checks/latest`.
    static func checkSummary(_ check: DomainCheckRecord) -> JSONValue {
        [
            "worst_severity": .string(check.worstSeverity), "errors": .int(check.errorCount),
            "warnings": .int(check.warningCount), "checked_at": .date(check.checkedAt),
            "next_check_at": .date(check.nextCheckAt),
        ]
    }

    /// The setup checklist and the overall state.
    static func setup(_ setup: DomainSetup) -> JSONValue {
        [
            "state": .string(setup.state.rawValue), "actions_needed": .int(setup.actionsNeeded),
            "next_step": .string(setup.nextStep), "until": .date(setup.until),
            "steps": .array(
                setup.steps.map { step in
                    [
                        "step": .string(step.step), "status": .string(step.status.rawValue),
                        "title": .string(step.title), "detail": .string(step.detail),
                        "checked_at": .date(step.checkedAt),
                    ]
                }
            ),
        ]
    }

    /// A policy as `GET /v1/domains/{name}/policy` shows it.
    static func policy(_ policy: PolicyRecord) -> JSONValue {
        [
            "id": .string(policy.policyID), "mode": .string(policy.mode.rawValue),
            "mx": .array(policy.mx.map { .string($0) }), "max_age": .int(policy.maxAge), "text": .string(policy.text),
            "updated_at": .date(policy.createdAt),
        ]
    }

    /// A policy as one entry of the history: the window it was served in.
    static func historyEntry(_ policy: PolicyRecord) -> JSONValue {
        [
            "id": .string(policy.policyID), "mode": .string(policy.mode.rawValue),
            "mx": .array(policy.mx.map { .string($0) }), "max_age": .int(policy.maxAge), "text": .string(policy.text),
            "served_from": .date(policy.createdAt), "served_until": .date(policy.supersededAt),
            "current": .bool(policy.supersededAt == nil),
        ]
    }

    /// What the worker last found at the domain's own `_mta-sts` record (drift for tenants keeping the TXT).
    static func stsRecord(_ check: DomainCheckRecord) -> JSONValue {
        [
            "status": .string(check.stsRecord.rawValue), "published_id": .string(check.publishedID),
            "detail": .string(check.stsRecordDetail), "checked_at": .date(check.checkedAt),
            "next_check_at": .date(check.nextCheckAt),
        ]
    }
}

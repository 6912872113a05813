import Foundation
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

    /// A domain.
    static func domain(_ domain: DomainRecord) -> JSONValue {
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
        members.append(JSONMember(key: "sts_record", value: domain.stsRecordCheck.map(JSONValue.stsRecord) ?? .null))
        if domain.status == .offboarding {
            members.append(JSONMember(key: "serve_until", value: .date(domain.serveUntil)))
        }
        return .object(members)
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
    static func stsRecord(_ check: STSRecordCheck) -> JSONValue {
        [
            "status": .string(check.status.rawValue), "published_id": .string(check.publishedID),
            "detail": .string(check.detail), "checked_at": .date(check.checkedAt),
            "next_check_at": .date(check.nextCheckAt),
        ]
    }
}

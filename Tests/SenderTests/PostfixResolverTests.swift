import Crypto
import Foundation
import MTASTS
import Store
import TestSupport
import Testing

/// A real sender, postfix-mta-sts-resolver 1.5.1, discovers policies through real DNS (Knot behind Unbound)
/// and fetches them over HTTPS from the edge, as Postfix would (RFC 8461 §3.3, §5).
@Suite struct PostfixResolverTests {
    static let domain = "acme.\(SenderEnvironment.customerZone)"

    static func policy(mode: PolicyMode = .enforce, mx: [String], maxAge: Int) throws -> Policy {
        try Policy(mode: mode, mx: mx.map { try MXPattern(parsing: $0) }, maxAge: maxAge)
    }

    static func expected(_ policy: Policy) -> SenderQuery.Result.Policy {
        .init(version: "STSv1", mode: policy.mode.rawValue, mx: policy.mx.map(\.description), maxAge: policy.maxAge)
    }

    @Test func acceptsTheServedPolicyAndFollowsItsChanges() throws {
        let environment = try SenderEnvironment()
        defer { environment.stop() }
        let domain = Self.domain
        let first = try Self.policy(mx: ["mx1.\(domain)", "*.backup.\(domain)"], maxAge: 86_400)
        let (domainID, firstID) = try environment.fixtures.addDomain(domain, policy: first, certificate: true)
        try environment.publish(domain, id: firstID)

        let accepted = try environment.resolve(domain, "the first policy is accepted") { $0.status == "VALID" }
        #expect(accepted.policyID == firstID.string, "\(accepted)")
        #expect(accepted.policy == Self.expected(first), "\(accepted)")
        #expect(accepted.policy?.mode == "enforce")

        // The sender verifies the edge's certificate: with another CA as its only trust anchor it refuses.
        var stranger = environment.sender
        stranger.caFile = try environment.directory.write(
            try CertificateBuilder.makeAuthority(commonName: "Unrelated CA", now: Int64(Date().timeIntervalSince1970))
                .certificate.pemRepresentation,
            to: "unrelated-ca.pem"
        )
        let untrusted = try stranger.resolve(domain)
        #expect(untrusted.status == "FETCH_ERROR", "\(untrusted)")
        #expect(untrusted.log.contains("CERTIFICATE_VERIFY_FAILED"), "\(untrusted)")

        // A sender that already holds the current id does not refetch (RFC 8461 §3.3).
        let cached = try environment.sender.resolve(domain, knownVersion: firstID.string)
        #expect(cached.status == "NOT_CHANGED", "\(cached)")
        #expect(cached.policy == nil)

        // The customer changes the policy; the platform announces the new id once the edges serve it.
        let second = try Self.policy(mx: ["mx2.\(domain)", "mx3.\(domain)"], maxAge: 604_800)
        let secondID = try environment.fixtures.setPolicy(domain: domainID, name: domain, policy: second)
        #expect(secondID != firstID)
        try environment.announce(domain, id: secondID)
        let changed = try environment.resolve(domain, knownVersion: firstID.string, "the new policy is accepted") {
            $0.status == "VALID" && $0.policyID == secondID.string && $0.policy == Self.expected(second)
        }
        #expect(changed.policy?.mx == ["mx2.\(domain)", "mx3.\(domain)"])
        let unchanged = try environment.sender.resolve(domain, knownVersion: secondID.string)
        #expect(unchanged.status == "NOT_CHANGED", "\(unchanged)")
    }

    @Test func aHostWithoutCertificateIsAFetchErrorUntilOneIsIssued() throws {
        let environment = try SenderEnvironment()
        defer { environment.stop() }
        let domain = "pending.\(SenderEnvironment.customerZone)"
        let policy = try Self.policy(mode: .testing, mx: ["*.mail.\(domain)"], maxAge: 3600)
        let (domainID, policyID) = try environment.fixtures.addDomain(domain, policy: policy, certificate: false)
        try environment.publish(domain, id: policyID)

        // Once the TXT record is visible the sender reaches the edge, which has no certificate for the host.
        let failed = try environment.resolve(domain, "the TXT record is seen") { $0.status != "NONE" }
        #expect(failed.status == "FETCH_ERROR", "\(failed)")
        #expect(failed.policy == nil)
        // The edge ends the handshake with an unrecognized_name alert for a host it has no certificate for.
        #expect(failed.log.contains("STS policy fetch for domain '\(domain)' failed"), "\(failed)")
        #expect(failed.log.contains("UNRECOGNIZED_NAME"), "\(failed)")

        try environment.fixtures.addCertificate(domain: domainID, host: "mta-sts.\(domain)")
        let accepted = try environment.resolve(domain, "the policy is accepted with the new certificate") {
            $0.status == "VALID"
        }
        #expect(accepted.policyID == policyID.string)
        #expect(accepted.policy == Self.expected(policy), "\(accepted)")
    }

    @Test func aDomainWithoutTXTRecordHasNoPolicy() throws {
        let environment = try SenderEnvironment()
        defer { environment.stop() }
        let domain = "quiet.\(SenderEnvironment.customerZone)"
        let policy = try Self.policy(mx: ["mx.\(domain)"], maxAge: 86_400)
        _ = try environment.fixtures.addDomain(domain, policy: policy, certificate: true)
        try environment.delegate(domain)
        // Served by the edge but never announced: a sender must not use it (RFC 8461 §3.3).
        let result = try environment.sender.resolve(domain)
        #expect(result.status == "NONE", "\(result)")
    }

    @Test func followsNewIdsThroughThePlatformZoneWithNoDNSEdit() throws {
        let environment = try SenderEnvironment(withZone: true)
        defer { environment.stop() }
        let domain = "zoned.\(SenderEnvironment.customerZone)"
        let first = try Self.policy(mx: ["mx1.\(domain)"], maxAge: 86_400)
        let (domainID, firstID) = try environment.fixtures.addDomain(domain, policy: first, certificate: true)
        let store = environment.fixtures.store
        let owner = try #require(try store.accounts.find(email: "owner@\(domain)"))
        let label = try #require(try store.domains.find(accountID: owner.id, name: domain)?.dnsLabel)
        // The tenant's only DNS edits: the policy host and `_mta-sts`, both CNAMEs into the platform.
        try environment.delegate(domain)
        try environment.delegateID(domain, label: label)
        let accepted = try environment.resolve(domain, "the policy is found through the zone") { $0.status == "VALID" }
        #expect(accepted.policyID == firstID.string && accepted.policy == Self.expected(first), "\(accepted)")

        var delays: [Duration] = []
        var known = firstID
        for round in 2...3 {
            let policy = try Self.policy(mx: ["mx\(round).\(domain)"], maxAge: 86_400 * round)
            let written = ContinuousClock.now
            let id = try environment.fixtures.setPolicy(domain: domainID, name: domain, policy: policy)
            let changed = try environment.resolve(domain, knownVersion: known.string, "round \(round)") {
                $0.status == "VALID" && $0.policyID == id.string
            }
            delays.append(ContinuousClock.now - written)
            #expect(changed.policy == Self.expected(policy), "\(changed)")
            known = id
        }
        print("MEASURE sender_policy_write_to_new_id_accepted_seconds=\(delays.map { "\($0)" }.joined(separator: ","))")
        #expect(delays.allSatisfy { $0 < .seconds(2) }, "\(delays)")
        let unchanged = try environment.sender.resolve(domain, knownVersion: known.string)
        #expect(unchanged.status == "NOT_CHANGED", "\(unchanged)")
    }
}

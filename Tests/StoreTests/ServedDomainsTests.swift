import Foundation
import MTASTS
import Store
import TestSupport
import Testing

/// The one rule of what is served (`served_domains`, RFC 8461 §8.3), as the edge, the worker's certificate
/// scheduling and offboarding all see it.
@Suite struct ServedDomainsTests {
    @Test func verifiedAndOffboardingInsideTheirWindowAreServedNothingElse() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("s@example.com")
        let start = StoreFixture.start
        let pending = try fixture.domain(owner, "pending.example")
        let verified = try fixture.domain(owner, "verified.example")
        let leaving = try fixture.domain(owner, "leaving.example")
        for domain in [verified, leaving] {
            _ = try fixture.store.domains.markVerified(
                domainID: domain.id,
                initialPolicy: try fixture.policy(.testing, ["mx.example"], maxAge: 3600),
                at: start
            )
        }
        let offboarded = try fixture.store.domains.offboard(domainID: leaving.id, at: start).domain
        let serveUntil = try #require(offboarded.serveUntil)

        func served(at moment: Date) throws -> Set<String> {
            let state = try fixture.store.servedHosts.loadAll(lookback: 200, at: moment, into: ServedHostRows()) {
                $0.append($1)
            }
            return Set(state.rows.policies.map(\.host))
        }
        let inside = serveUntil.addingTimeInterval(-1)
        #expect(try served(at: inside) == ["mta-sts.verified.example", "mta-sts.leaving.example"])
        #expect(try fixture.store.certificates.servedDomain(id: leaving.id, at: inside)?.name == "leaving.example")
        #expect(try fixture.store.certificates.servedDomain(id: pending.id, at: inside) == nil)

        // At `serve_until` the offboarding domain stops being served, and offboarding completes.
        #expect(try served(at: serveUntil) == ["mta-sts.verified.example"])
        #expect(try fixture.store.certificates.servedDomain(id: leaving.id, at: serveUntil) == nil)
        #expect(try fixture.store.domains.completeOffboarding(at: inside).isEmpty)
        #expect(try fixture.store.domains.completeOffboarding(at: serveUntil) == ["leaving.example"])
    }

    @Test func aFullLoadReportsTheChangeRowsItReflects() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("r@example.com")
        let domain = try fixture.domain(owner, "rows.example")
        _ = try fixture.store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try fixture.policy(.enforce, ["mx.rows.example"]),
            at: StoreFixture.start
        )
        let changes = try fixture.store.changes.changes(after: 0)
        #expect(changes.map(\.kind) == [.domain, .policy])
        let state = try fixture.store.servedHosts.loadAll(lookback: 1, at: StoreFixture.start, into: ServedHostRows()) {
            $0.append($1)
        }
        #expect(state.sequence == changes.last?.seq)
        // Only the rows inside the look-back window are listed.
        #expect(state.reflectedChanges == [try #require(changes.last?.seq)])
        let policy = try #require(state.rows.policies.first)
        #expect(policy.host == "mta-sts.rows.example")
        #expect(policy.text.hasPrefix("version: STSv1\r\nmode: enforce\r\n"))
    }

    @Test func aHostReloadReadsOnlyTheAskedParts() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("p@example.com")
        let domain = try fixture.domain(owner, "parts.example")
        _ = try fixture.store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try fixture.policy(.enforce, ["mx.parts.example"]),
            at: StoreFixture.start
        )
        let now = Date()
        try fixture.store.challenges.publish(
            token: "tok",
            host: "mta-sts.parts.example",
            keyAuthorization: "ka",
            at: now
        )
        let hosts: Set = ["mta-sts.parts.example"]
        let policyOnly = try fixture.store.servedHosts.load(hosts: hosts, parts: .policy, at: now)
        #expect(policyOnly.policies.count == 1 && policyOnly.challenges.isEmpty && policyOnly.certificates.isEmpty)
        let challengesOnly = try fixture.store.servedHosts.load(hosts: hosts, parts: .challenges, at: now)
        #expect(challengesOnly.policies.isEmpty && challengesOnly.challenges.map(\.token) == ["tok"])
        #expect(try fixture.store.servedHosts.load(hosts: ["www.parts.example"], parts: .all, at: now).policies.isEmpty)
    }
}

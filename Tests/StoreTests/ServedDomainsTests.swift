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

    @Test func aReconcileReadsTheServedHostsInSlicesInByteOrderEachOnce() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("slices@example.com")
        // Byte order puts "b-c" before "ba" (0x2d < 0x61); a linguistic collation would not.
        let names = ["ba.example", "b-c.example", "0.example", "bb.example", "z.example"]
        for name in names {
            let domain = try fixture.domain(owner, name)
            _ = try fixture.store.domains.markVerified(
                domainID: domain.id,
                initialPolicy: try fixture.policy(.testing, ["mx.example"]),
                at: StoreFixture.start
            )
        }
        _ = try fixture.domain(try fixture.account("pending@example.com"), "pending.example")
        let now = Date()
        try fixture.store.challenges.publish(token: "t", host: "mta-sts.bb.example", keyAuthorization: "k", at: now)

        var ranges: [HostRange] = []
        var policies: [String] = []
        var challenges: [String] = []
        var zoneHosts: [String] = []
        var after = ""
        while ranges.count < 10 {
            let slice = try fixture.store.servedHosts.loadSlice(after: after, limit: 2, at: now)
            let zone = try fixture.store.zone.loadSlice(after: after, limit: 2, at: now)
            #expect(zone.range == slice.range)
            ranges.append(slice.range)
            policies += slice.rows.policies.map(\.host).sorted(by: HostRange.precedes)
            challenges += slice.rows.challenges.map { "\($0.host) in \(ranges.count)" }
            zoneHosts += zone.rows.map(\.host).sorted(by: HostRange.precedes)
            guard let through = slice.range.through else { break }
            after = through
        }
        let expected = ["0", "b-c", "ba", "bb", "z"].map { "mta-sts.\($0).example" }
        #expect(policies == expected)
        #expect(zoneHosts == expected)
        #expect(
            ranges == [
                HostRange(after: "", through: "mta-sts.b-c.example"),
                HostRange(after: "mta-sts.b-c.example", through: "mta-sts.bb.example"),
                HostRange(after: "mta-sts.bb.example", through: nil),
            ]
        )
        #expect(challenges == ["mta-sts.bb.example in 2"])
        #expect(ranges.allSatisfy { range in expected.filter(range.contains).count <= 2 })
    }
}

import Foundation
import MTASTS
import Store
import TestSupport
import Testing

/// What the platform's DNS zone reads: labels, the current and previous policy ids with the change rows that
/// published them, TLS-RPT addresses, and the edges' heartbeats.
@Suite struct ZoneRepositoryTests {
    @Test func rowsCarryTheLabelBothPoliciesWithTheirChangeRowsAndTheTLSRPTAddresses() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("z@example.com")
        let domain = try fixture.domain(owner, "zone.example")
        #expect(domain.dnsLabel.range(of: "^[a-z0-9]{20}$", options: .regularExpression) != nil)
        let first = try #require(
            try fixture.store.domains.markVerified(
                domainID: domain.id,
                initialPolicy: try fixture.policy(.testing, ["mx.zone.example"]),
                at: StoreFixture.start
            ).policy
        )
        let now = Date()
        var rows = try fixture.store.zone.loadAll(lookback: 200, at: now).rows
        #expect(rows.count == 1)
        #expect(rows.first?.label == domain.dnsLabel && rows.first?.previous == nil)
        #expect(rows.first?.current.policyID == first.policyID)
        let changes = try fixture.store.changes.changes(after: 0)
        #expect(rows.first?.current.seq == changes.last { $0.kind == .policy }?.seq)

        let second = try fixture.store.policies.publish(
            domainID: domain.id,
            policy: try fixture.policy(.enforce, ["mx.zone.example"]),
            at: StoreFixture.start.addingTimeInterval(60)
        ).policy
        let updated = try fixture.store.domains.setTLSRPT(
            domainID: domain.id,
            rua: ["mailto:tlsrpt@zone.example"],
            at: StoreFixture.start.addingTimeInterval(61)
        )
        #expect(updated.tlsrptRUA == ["mailto:tlsrpt@zone.example"])
        rows = try fixture.store.zone.load(hosts: ["mta-sts.zone.example", "mta-sts.other.example"], at: now)
        let row = try #require(rows.first)
        #expect(rows.count == 1)
        #expect(row.current.policyID == second.policyID && row.previous?.policyID == first.policyID)
        #expect(row.previous.map { $0.seq < row.current.seq } == true)
        #expect(row.tlsrptRUA == ["mailto:tlsrpt@zone.example"])
        #expect(try fixture.store.changes.changes(after: 0).last?.kind == .tlsrpt)
    }

    @Test func labelsAreNeverReused() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("l@example.com")
        let first = try fixture.domain(owner, "again.example")
        _ = try fixture.store.domains.deleteUnverified(domainID: first.id, at: StoreFixture.start)
        let second = try fixture.domain(owner, "again.example")
        #expect(first.dnsLabel != second.dnsLabel)
    }

    @Test func edgeProgressCountsOnlyEdgesHeardFromRecently() throws {
        let fixture = try StoreFixture()
        let now = Date()
        #expect(
            try fixture.store.edgeHeartbeats.progress(window: 30, at: now)
                == .init(minimumApplied: nil, liveEdges: 0, silentEdges: 0)
        )
        try fixture.store.edgeHeartbeats.record(instance: "edge-a", appliedSequence: 42, at: now)
        try fixture.store.edgeHeartbeats.record(instance: "edge-b", appliedSequence: 40, at: now.addingTimeInterval(-5))
        try fixture.store.edgeHeartbeats.record(
            instance: "edge-c",
            appliedSequence: 1,
            at: now.addingTimeInterval(-120)
        )
        #expect(
            try fixture.store.edgeHeartbeats.progress(window: 30, at: now)
                == .init(minimumApplied: 40, liveEdges: 2, silentEdges: 1)
        )
        try fixture.store.edgeHeartbeats.record(instance: "edge-b", appliedSequence: 43, at: now)
        #expect(try fixture.store.edgeHeartbeats.progress(window: 30, at: now).minimumApplied == 42)
    }
}

@Suite struct BatchReadTests {
    @Test func pagesOfDomainsReadTheirPoliciesStatesAndChecksInOneQueryEach() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("b@example.com")
        let first = try fixture.domain(owner, "one.example")
        let second = try fixture.domain(owner, "two.example")
        _ = try fixture.store.domains.markVerified(
            domainID: first.id,
            initialPolicy: try fixture.policy(.testing, ["mx.one.example"]),
            at: StoreFixture.start
        )
        let ids = [first.id, second.id]
        #expect(try fixture.store.policies.current(domainIDs: ids).keys.sorted() == [first.id])
        #expect(try fixture.store.certificates.states(domainIDs: ids).isEmpty)
        try fixture.store.certificates.setState(domainID: first.id, status: .waitingForCNAME, error: "add it")
        #expect(try fixture.store.certificates.states(domainIDs: ids)[first.id]?.status == .waitingForCNAME)
        #expect(try fixture.store.domainChecks.find(domainIDs: ids).isEmpty)
    }
}

import Database
import Foundation
import MTASTS
import Store
import TestSupport
import Testing

@Suite struct DomainRepositoryTests {
    @Test func theLimitCountsDomainsNotDeleted() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("l@example.com")
        let first = try fixture.domain(owner, "one.example", limit: 2)
        _ = try fixture.domain(owner, "two.example", limit: 2)
        #expect {
            try fixture.domain(owner, "three.example", limit: 2)
        } throws: { error in
            (error as? StoreError)?.code == .domainLimitReached && (error as? StoreError)?.limit == 2
        }
        _ = try fixture.store.domains.deleteUnverified(domainID: first.id, at: StoreFixture.start)
        _ = try fixture.domain(owner, "three.example", limit: 2)
        #expect(throws: StoreError(.duplicateDomain, "")) { try fixture.domain(owner, "two.example", limit: 9) }
    }

    @Test func onlyOneAccountHoldsANameVerified() throws {
        let fixture = try StoreFixture()
        let first = try fixture.domain(try fixture.account("a@example.com"), "shared.example")
        let second = try fixture.domain(try fixture.account("b@example.com"), "shared.example")
        let policy = try fixture.policy(.none, [])
        _ = try fixture.store.domains.markVerified(domainID: first.id, initialPolicy: policy, at: StoreFixture.start)
        #expect(throws: StoreError(.verifiedByAnotherAccount, "")) {
            try fixture.store.domains.markVerified(domainID: second.id, initialPolicy: policy, at: StoreFixture.start)
        }
        // The refused verification left nothing behind.
        #expect(try fixture.store.policies.history(domainID: second.id).isEmpty)
    }

    @Test func offboardingServesNoneForTheLongestMaxAgeThenFrees() throws {
        let fixture = try StoreFixture()
        let first = try fixture.domain(try fixture.account("o@example.com"), "leave.example")
        _ = try fixture.store.domains.markVerified(
            domainID: first.id,
            initialPolicy: try fixture.policy(.enforce, ["mx.leave.example"], maxAge: 604_800),
            at: StoreFixture.start
        )
        let later = StoreFixture.start.addingTimeInterval(3600)
        let (domain, policy) = try fixture.store.domains.offboard(domainID: first.id, at: later)
        #expect(domain.status == .offboarding)
        #expect(domain.serveUntil == later.addingTimeInterval(604_800))
        #expect(policy?.mode == PolicyMode.none)
        #expect(policy?.maxAge == 86_400)
        #expect(throws: StoreError(.invalidStatus, "")) {
            try fixture.store.domains.deleteUnverified(domainID: first.id, at: later)
        }
        #expect(try fixture.store.domains.completeOffboarding(at: later.addingTimeInterval(604_799)).isEmpty)
        #expect(
            try fixture.store.domains.completeOffboarding(at: later.addingTimeInterval(604_800)) == ["leave.example"]
        )
        let next = try fixture.domain(try fixture.account("p@example.com"), "leave.example")
        _ = try fixture.store.domains.markVerified(
            domainID: next.id,
            initialPolicy: try fixture.policy(.none, []),
            at: later.addingTimeInterval(604_801)
        )
    }
}

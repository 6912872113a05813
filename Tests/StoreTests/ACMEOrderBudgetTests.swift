import Dispatch
import Foundation
import Store
import Synchronization
import TestSupport
import Testing

@Suite struct ACMEOrderBudgetTests {
    private let budget = ACMEOrderBudgetRepository.Budget(ordersPerHour: 10, renewalReserve: 2, ordersPerAccount: 100)

    @Test func firstIssuancesLeaveTheReserveToRenewalsAndTheWindowRolls() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("budget@example.com")
        let domain = try fixture.domain(owner, "budget.example", limit: 5)
        let orders = fixture.store.acmeOrders
        let start = StoreFixture.start
        for minute in 0..<8 {
            let at = start.addingTimeInterval(Double(minute) * 60)
            #expect(
                try orders.admit(domainID: domain.id, accountID: owner.id, renewal: false, budget: budget, at: at)
                    == .admitted
            )
        }
        let later = start.addingTimeInterval(600)
        guard
            case .deferred(let until, let reason) = try orders.admit(
                domainID: domain.id,
                accountID: owner.id,
                renewal: false,
                budget: budget,
                at: later
            )
        else {
            Issue.record("a ninth first issuance was admitted")
            return
        }
        #expect(until == start.addingTimeInterval(3600))
        #expect(reason.contains("kept for renewals"))
        for _ in 0..<2 {
            #expect(
                try orders.admit(domainID: domain.id, accountID: owner.id, renewal: true, budget: budget, at: later)
                    == .admitted
            )
        }
        guard
            case .deferred(let renewalUntil, _) = try orders.admit(
                domainID: domain.id,
                accountID: owner.id,
                renewal: true,
                budget: budget,
                at: later
            )
        else {
            Issue.record("an eleventh order was admitted")
            return
        }
        #expect(renewalUntil == start.addingTimeInterval(3600))
        #expect(try fixture.count("acme_orders") == 10)
        // An hour after the first order, one fits again.
        let nextHour = start.addingTimeInterval(3601)
        #expect(
            try orders.admit(domainID: domain.id, accountID: owner.id, renewal: true, budget: budget, at: nextHour)
                == .admitted
        )
    }

    @Test func oneAccountCannotUseTheWholeBudget() throws {
        let fixture = try StoreFixture()
        let greedy = try fixture.account("greedy@example.com")
        let other = try fixture.account("other@example.com")
        let greedyDomain = try fixture.domain(greedy, "greedy.example")
        let otherDomain = try fixture.domain(other, "other.example")
        let capped = ACMEOrderBudgetRepository.Budget(ordersPerHour: 100, ordersPerAccount: 3)
        let orders = fixture.store.acmeOrders
        for _ in 0..<3 {
            #expect(
                try orders.admit(
                    domainID: greedyDomain.id,
                    accountID: greedy.id,
                    renewal: false,
                    budget: capped,
                    at: StoreFixture.start
                )
                    == .admitted
            )
        }
        let refused = try orders.admit(
            domainID: greedyDomain.id,
            accountID: greedy.id,
            renewal: false,
            budget: capped,
            at: StoreFixture.start
        )
        guard case .deferred(_, let reason) = refused else {
            Issue.record("a fourth order for one account was admitted")
            return
        }
        #expect(reason.contains("this account"))
        #expect(
            try orders.admit(
                domainID: otherDomain.id,
                accountID: other.id,
                renewal: false,
                budget: capped,
                at: StoreFixture.start
            )
                == .admitted
        )
    }

    @Test func workersRacingForTheLastOrdersCannotPassTheBudget() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("race@example.com")
        let domain = try fixture.domain(owner, "race.example")
        let orders = fixture.store.acmeOrders
        let admitted = Mutex(0)
        let finished = DispatchGroup()
        for _ in 0..<16 {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                let admission = try? orders.admit(
                    domainID: domain.id,
                    accountID: owner.id,
                    renewal: false,
                    budget: budget,
                    at: StoreFixture.start
                )
                if admission == .admitted { admitted.withLock { $0 += 1 } }
            }
        }
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(admitted.withLock { $0 } == 8)
        #expect(try fixture.count("acme_orders") == 8)
    }

    @Test func repeatedFailuresStopOrderingUntilTheTenantAsksAgain() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("failing@example.com")
        let domain = try fixture.domain(owner, "failing.example")
        let certificates = fixture.store.certificates
        #expect(try !certificates.recordFailedOrder(domainID: domain.id, error: "ACME: rejectedIdentifier", limit: 3))
        #expect(try !certificates.recordFailedOrder(domainID: domain.id, error: "ACME: rejectedIdentifier", limit: 3))
        #expect(try certificates.recordFailedOrder(domainID: domain.id, error: "ACME: rejectedIdentifier", limit: 3))
        let state = try #require(try certificates.states(domainIDs: [domain.id])[domain.id])
        #expect(state.status == .waitingForTenant && state.lastError == "ACME: rejectedIdentifier")
        #expect(try certificates.resumeOrdering(domainID: domain.id))
        #expect(try !certificates.resumeOrdering(domainID: domain.id))
        #expect(try certificates.states(domainIDs: [domain.id])[domain.id]?.status == .failed)
        #expect(try !certificates.recordFailedOrder(domainID: domain.id, error: "ACME: again", limit: 3))
        let fresh = try fixture.domain(owner, "once.example")
        #expect(try certificates.recordFailedOrder(domainID: fresh.id, error: "ACME: refused", limit: 1))
    }
}

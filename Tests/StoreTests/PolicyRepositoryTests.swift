import Database
import Foundation
import MTASTS
import Store
import TestSupport
import Testing

@Suite struct PolicyRepositoryTests {
    @Test func sameTextKeepsTheRowAndNewTextRotatesTheID() throws {
        let fixture = try StoreFixture()
        let owner = try fixture.account("p@example.com")
        let domain = try fixture.domain(owner, "rotate.example")
        let first = try fixture.store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try fixture.policy(.testing, ["mx.rotate.example"]),
            at: StoreFixture.start
        )
        let initial = try #require(first.policy)
        #expect(initial.policyID == PolicyID.generate(at: StoreFixture.start, avoiding: []).string)

        let same = try fixture.store.policies.publish(
            domainID: domain.id,
            policy: try fixture.policy(.testing, ["mx.rotate.example"]),
            at: StoreFixture.start.addingTimeInterval(60)
        )
        #expect(!same.created)
        #expect(same.policy.rowID == initial.rowID)

        // Same second as the first policy: the model adds a counter so the id is still new.
        let changed = try fixture.store.policies.publish(
            domainID: domain.id,
            policy: try fixture.policy(.enforce, ["mx.rotate.example"]),
            at: StoreFixture.start
        )
        #expect(changed.created)
        #expect(changed.policy.policyID == initial.policyID + "2")
        let history = try fixture.store.policies.history(domainID: domain.id)
        #expect(history.map(\.policyID) == [initial.policyID, initial.policyID + "2"])
        #expect(history[0].supersededAt != nil)
        #expect(history[1].supersededAt == nil)
        #expect(try fixture.count("policies") == 2)
    }

    @Test func ifMatchMustNameTheCurrentPolicyAmongItsIDs() throws {
        let fixture = try StoreFixture()
        let domain = try fixture.domain(try fixture.account("m@example.com"), "match.example")
        let initial = try #require(
            try fixture.store.domains.markVerified(
                domainID: domain.id,
                initialPolicy: try fixture.policy(.testing, ["mx.match.example"]),
                at: StoreFixture.start
            ).policy
        )
        #expect(throws: StoreError(.policyPreconditionFailed, "")) {
            try fixture.store.policies.publish(
                domainID: domain.id,
                policy: try fixture.policy(.enforce, ["mx.match.example"]),
                at: StoreFixture.start,
                expectedPolicyIDs: ["stale"]
            )
        }
        #expect(throws: StoreError(.policyPreconditionFailed, "")) {
            try fixture.store.policies.publish(
                domainID: domain.id,
                policy: try fixture.policy(.enforce, ["mx.match.example"]),
                at: StoreFixture.start,
                expectedPolicyIDs: []
            )
        }
        let updated = try fixture.store.policies.publish(
            domainID: domain.id,
            policy: try fixture.policy(.enforce, ["mx.match.example"]),
            at: StoreFixture.start,
            expectedPolicyIDs: ["stale", initial.policyID]
        )
        #expect(updated.created)
    }

    @Test func publishingNotifiesEdgesWithTheNewSequenceNumberOnCommit() throws {
        let fixture = try StoreFixture()
        let domain = try fixture.domain(try fixture.account("n@example.com"), "notify.example")
        let listener = try PostgresConnection(connectionString: fixture.url)
        try listener.listen(ChangeLogRepository.channel)
        _ = try fixture.store.domains.markVerified(
            domainID: domain.id,
            initialPolicy: try fixture.policy(.testing, ["mx.notify.example"]),
            at: StoreFixture.start
        )
        var received: [PostgresNotification] = []
        try Poll.until(deadline: 5, "two notifications") {
            received += try listener.waitForNotifications(timeout: .milliseconds(200))
            return received.count >= 2
        }
        let changes = try fixture.store.changes.changes(after: 0)
        #expect(changes.map(\.kind) == [.domain, .policy])
        #expect(changes.allSatisfy { $0.host == "mta-sts.notify.example" })
        #expect(received.map(\.payload) == changes.map { String($0.seq) })
    }

    @Test func policiesNeedAVerifiedDomain() throws {
        let fixture = try StoreFixture()
        let domain = try fixture.domain(try fixture.account("v@example.com"), "pending.example")
        #expect(throws: StoreError(.invalidStatus, "")) {
            try fixture.store.policies.publish(
                domainID: domain.id,
                policy: try fixture.policy(.testing, ["mx.pending.example"]),
                at: StoreFixture.start
            )
        }
        #expect(try fixture.count("changes") == 0)
    }
}

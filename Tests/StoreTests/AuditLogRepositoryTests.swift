import Database
import Foundation
import Store
import TestSupport
import Testing

@Suite struct AuditLogRepositoryTests {
    private func entry(
        _ account: AccountRecord,
        _ action: String,
        target: String?,
        at offset: TimeInterval = 0,
        details: [String: String] = [:]
    ) -> AuditEntry {
        AuditEntry(
            accountID: account.id,
            actor: .token,
            actorDetail: "5f0c7a52-0000-4000-8000-000000000001",
            action: action,
            target: target,
            requestID: "0123456789abcdef",
            sourceAddress: "203.0.113.7",
            at: StoreFixture.start.addingTimeInterval(offset),
            details: details
        )
    }

    @Test func anAccountSeesOnlyItsOwnEntriesNewestFirstInPages() throws {
        let fixture = try StoreFixture()
        let alice = try fixture.account("alice@example.com")
        let bob = try fixture.account("bob@example.com")
        for index in 0..<5 {
            try fixture.store.auditLog.record(entry(alice, "domain.create", target: "a\(index).example"))
            try fixture.store.auditLog.record(entry(bob, "domain.create", target: "b\(index).example"))
        }
        try fixture.store.auditLog.record(
            entry(
                alice,
                "policy.update",
                target: "a0.example",
                details: ["old_mode": "testing", "new_mode": "enforce"]
            )
        )

        let first = try fixture.store.auditLog.list(accountID: alice.id, limit: 4)
        #expect(first.count == 4)
        #expect(first.allSatisfy { $0.accountID == alice.id })
        #expect(first.map(\.id) == first.map(\.id).sorted(by: >), "newest first")
        #expect(first[0].action == "policy.update")
        #expect(first[0].details == ["old_mode": "testing", "new_mode": "enforce"])
        #expect(first[0].requestID == "0123456789abcdef")
        #expect(first[0].sourceAddress == "203.0.113.7")
        #expect(first[0].actor == .token)
        let rest = try fixture.store.auditLog.list(accountID: alice.id, limit: 4, before: first.last?.id)
        #expect(rest.map(\.target) == ["a1.example", "a0.example"])
        let everything = try fixture.store.auditLog.list(accountID: alice.id, limit: 100)
        #expect(everything.count == 6)
        #expect(everything.allSatisfy { $0.target?.hasPrefix("a") == true }, "never one of bob's")
        #expect(try fixture.store.auditLog.list(accountID: bob.id, limit: 100).allSatisfy { $0.accountID == bob.id })

        let filtered = try fixture.store.auditLog.list(accountID: alice.id, limit: 100, target: "a0.example")
        #expect(filtered.map(\.action) == ["policy.update", "domain.create"])
        let byAction = try fixture.store.auditLog.list(accountID: alice.id, limit: 100, action: "policy.update")
        #expect(byAction.count == 1)
        #expect(try fixture.store.auditLog.list(accountID: bob.id, limit: 100, target: "a0.example").isEmpty)
    }

    @Test func retentionDeletesEntriesOlderThanTheConfiguredDays() throws {
        let fixture = try StoreFixture()
        let alice = try fixture.account("alice@example.com")
        try fixture.store.auditLog.record(entry(alice, "domain.create", target: "old.example", at: -40 * 86_400))
        try fixture.store.auditLog.record(entry(alice, "domain.create", target: "new.example", at: -20 * 86_400))
        try fixture.store.retention.purge(at: StoreFixture.start, auditLogDays: 30)
        #expect(try fixture.store.auditLog.list(accountID: alice.id, limit: 10).map(\.target) == ["new.example"])
        try fixture.store.retention.purge(at: StoreFixture.start)
        #expect(try fixture.count("audit_log") == 1, "the default keeps a year")
    }
}

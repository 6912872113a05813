import Crypto
import Database
import Foundation
import Store
import Synchronization
import TestSupport
import Testing

/// Webhooks and the notification outbox in PostgreSQL: one delivery per webhook of the account, leases, attempts,
/// the log, limits, the sealed secret and retention.
@Suite struct NotificationOutboxTests {
    let fixture: StoreFixture
    let keyring: Keyring

    init() throws {
        fixture = try StoreFixture()
        keyring = try Keyring(current: try MasterKey.generate())
    }

    var now: Date { StoreFixture.start }

    @discardableResult
    func webhook(_ account: AccountRecord, _ url: String, secret: String = "whsec_test") throws -> WebhookRecord {
        try fixture.store.webhooks.create(
            accountID: account.id,
            url: url,
            description: nil,
            secret: secret,
            keyring: keyring,
            limit: WebhookRepository.maximumPerAccount,
            at: now
        )
    }

    func alert(domain: String = "example.com") -> NotificationEvent {
        NotificationEvent(
            type: .alertOpened,
            occurredAt: now,
            domain: domain,
            condition: "mx-uncovered",
            severity: .error,
            message: "mx3.\(domain) is not covered by the policy.",
            fix: "Add mx3.\(domain) to the policy's mx patterns."
        )
    }

    @Test func anEventIsEncodedAsReceiversSeeIt() throws {
        var event = alert()
        event.id = try #require(UUID(uuidString: "6F1C2B9A-1D2E-4F00-8A55-0123456789AB"))
        event.occurredAt = Date(timeIntervalSince1970: 1_767_225_600)
        #expect(
            String(decoding: try event.encoded(), as: UTF8.self)
                == #"{"condition":"mx-uncovered","domain":"example.com","fix":"Add mx3.example.com to the policy's mx "#
                + #"patterns.","id":"6f1c2b9a-1d2e-4f00-8a55-0123456789ab","message":"mx3.example.com is not "#
                + #"covered by the policy.","occurred_at":"2026-01-01T00:00:00Z","severity":"error","#
                + #""type":"alert.opened"}"#
        )
        let test = String(decoding: try NotificationEvent.test(at: now).encoded(), as: UTF8.self)
        #expect(!test.contains("\"domain\""))
        #expect(test.contains(#""type":"test""#) && test.contains(#""severity":"info""#))
    }

    @Test func anEventBecomesOnePendingDeliveryPerWebhookOfItsAccountOnly() throws {
        let owner = try fixture.account("owner@example.com")
        let other = try fixture.account("other@example.com")
        let first = try webhook(owner, "https://hooks.example.com/a")
        let second = try webhook(owner, "https://hooks.example.com/b")
        let foreign = try webhook(other, "https://hooks.example.net/")
        let event = alert()

        let ids = try fixture.store.notifications.enqueue(event, accountID: owner.id, at: now)
        #expect(ids.count == 2)
        for hook in [first, second] {
            let log = try #require(
                try fixture.store.notifications.deliveries(
                    webhookID: hook.id,
                    accountID: owner.id,
                    after: nil,
                    limit: 10
                )
            )
            let delivery = try #require(log.first)
            #expect(log.count == 1 && ids.contains(delivery.id))
            #expect(delivery.status == .pending && delivery.attempts == 0 && delivery.nextAttemptAt == now)
            #expect(delivery.eventID == event.id && delivery.eventType == .alertOpened)
            #expect(delivery.body == String(decoding: try event.encoded(), as: UTF8.self))
        }
        #expect(
            try fixture.store.notifications.deliveries(
                webhookID: foreign.id,
                accountID: other.id,
                after: nil,
                limit: 10
            )
                == []
        )
        // Another account's webhook has no log for this account, and an account without webhooks gets nothing.
        #expect(
            try fixture.store.notifications.deliveries(
                webhookID: foreign.id,
                accountID: owner.id,
                after: nil,
                limit: 10
            )
                == nil
        )
        let lonely = try fixture.account("lonely@example.com")
        #expect(try fixture.store.notifications.enqueue(alert(), accountID: lonely.id, at: now) == [])
        #expect(try fixture.count("notification_deliveries") == 2)
        // A test event goes to the one webhook named, and only to the account's own.
        #expect(try fixture.store.notifications.enqueueTest(webhookID: foreign.id, accountID: owner.id, at: now) == nil)
        let test = try #require(
            try fixture.store.notifications.enqueueTest(webhookID: first.id, accountID: owner.id, at: now)
        )
        #expect(test.eventType == .test && test.webhookID == first.id && test.status == .pending)
    }

    @Test func webhooksAreBoundedAndUniquePerAccount() throws {
        let owner = try fixture.account("owner@example.com")
        for index in 0..<WebhookRepository.maximumPerAccount {
            try webhook(owner, "https://hooks.example.com/\(index)")
        }
        let error = #expect(throws: StoreError.self) { try webhook(owner, "https://hooks.example.com/extra") }
        #expect(error?.code == .webhookLimitReached && error?.limit == 10)
        #expect(throws: StoreError(.duplicateWebhook, "")) { try webhook(owner, "https://hooks.example.com/3") }
        // The same URL is another account's own business.
        let other = try fixture.account("other@example.com")
        try webhook(other, "https://hooks.example.com/3")
        #expect(try fixture.store.webhooks.list(accountID: owner.id).count == 10)

        // Parallel creations cannot pass the limit: the account row serialises them.
        let racer = try fixture.account("racer@example.com")
        let created = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            if (try? webhook(racer, "https://race.example.com/\(index)")) != nil { created.withLock { $0 += 1 } }
        }
        #expect(created.withLock { $0 } == 10)
        #expect(try fixture.store.webhooks.list(accountID: racer.id).count == 10)
    }

    @Test func theSecretIsSealedBoundToItsRowAndCoveredByDoctorAndRotation() throws {
        let owner = try fixture.account("owner@example.com")
        let first = try webhook(owner, "https://hooks.example.com/a", secret: "whsec_first")
        let second = try webhook(owner, "https://hooks.example.com/b", secret: "whsec_second")
        try fixture.store.notifications.enqueue(alert(), accountID: owner.id, at: now)
        let queue = fixture.store.webhookDeliveries(workerID: "test")
        var opened: [UUID: String] = [:]
        while let due = try queue.take(at: now, lease: .seconds(60)) {
            #expect(due.secret.binding == .row && due.secret.condition(under: keyring) == .current)
            opened[due.webhookID] = String(decoding: try due.secret.open(with: keyring), as: UTF8.self)
        }
        #expect(opened == [first.id: "whsec_first", second.id: "whsec_second"])
        #expect(try fixture.count("webhooks WHERE position('whsec' IN encode(secret_ciphertext, 'escape')) > 0") == 0)

        let inventory = try SecretInventory.take(from: fixture.store.secrets, keyring: keyring)
        #expect(inventory.count(.webhookSecret, .current) == 2 && inventory.isHealthy)

        // Rotation re-seals webhook secrets with the new key; the old key is then no longer needed.
        let newKey = try MasterKey.generate()
        let rotating = try Keyring(current: newKey, previous: [keyring.current])
        let report = try SecretRotation.run(repository: fixture.store.secrets, keyring: rotating)
        #expect(report.counts[.webhookSecret]?.resealed == 2)
        let onlyNew = try Keyring(current: newKey)
        #expect(
            try SecretInventory.take(from: fixture.store.secrets, keyring: onlyNew).count(.webhookSecret, .current) == 2
        )

        // A ciphertext copied into another webhook's row does not open there.
        try fixture.pool.withConnection { connection in
            _ = try connection.execute(
                """
                UPDATE webhooks b SET secret_ciphertext = a.secret_ciphertext, secret_nonce = a.secret_nonce
                FROM webhooks a WHERE a.id = \(first.id) AND b.id = \(second.id)
                """
            )
        }
        let moved = try SecretInventory.take(from: fixture.store.secrets, keyring: onlyNew)
        #expect(moved.count(.webhookSecret, .authenticationFailed) == 1)
        #expect(moved.findings.map(\.owner) == [.webhookSecret(id: second.id)])
    }

    @Test func attemptsAreLeasedOnceAndRecordedInTheLogNewestFirst() throws {
        let owner = try fixture.account("owner@example.com")
        let hook = try webhook(owner, "https://hooks.example.com/")
        let queue = fixture.store.webhookDeliveries(workerID: "worker-a")
        let other = fixture.store.webhookDeliveries(workerID: "worker-b")
        let older = try #require(try fixture.store.notifications.enqueue(alert(), accountID: owner.id, at: now).first)

        let due = try #require(try queue.take(at: now, lease: .seconds(3600)))
        #expect(due.deliveryID == older && due.attempts == 0 && due.firstAttemptAt == nil)
        #expect(due.url == hook.url && due.eventType == .alertOpened)
        #expect(try other.take(at: now, lease: .seconds(60)) == nil, "a leased delivery is not taken twice")
        // A worker that dies mid-attempt loses its lease: the delivery is attempted again once it expires.
        let orphan = try #require(try fixture.store.notifications.enqueue(alert(), accountID: owner.id, at: now).first)
        #expect(try queue.take(at: now, lease: .seconds(60))?.deliveryID == orphan)
        #expect(try other.take(at: now.addingTimeInterval(59), lease: .seconds(60)) == nil)
        let rescued = try #require(try other.take(at: now.addingTimeInterval(61), lease: .seconds(60)))
        #expect(rescued.deliveryID == orphan && rescued.attempts == 0)
        #expect(try other.record(rescued, result: .init(disposition: .delivered, httpStatus: 200), at: now))
        let retryAt = now.addingTimeInterval(30)
        #expect(
            try queue.record(
                due,
                result: .init(disposition: .retry(at: retryAt), httpStatus: 500, error: "the receiver answered 500"),
                at: now
            )
        )
        #expect(try other.take(at: now.addingTimeInterval(29), lease: .seconds(60)) == nil)
        let again = try #require(try other.take(at: retryAt, lease: .seconds(60)))
        #expect(again.attempts == 1 && again.firstAttemptAt == now)
        // Only the holder of the lease records.
        #expect(try !queue.record(again, result: .init(disposition: .delivered, httpStatus: 200), at: retryAt))
        #expect(try other.record(again, result: .init(disposition: .delivered, httpStatus: 204), at: retryAt))

        let newer = try #require(
            try fixture.store.notifications.enqueue(alert(), accountID: owner.id, at: now.addingTimeInterval(60)).first
        )
        let log = try #require(
            try fixture.store.notifications.deliveries(webhookID: hook.id, accountID: owner.id, after: nil, limit: 10)
        )
        #expect(log.map(\.id) == [newer, older, orphan] || log.map(\.id) == [newer, orphan, older])
        let delivered = try #require(log.first { $0.id == older })
        #expect(delivered.status == .delivered && delivered.attempts == 2 && delivered.lastStatus == 204)
        #expect(delivered.firstAttemptAt == now && delivered.lastAttemptAt == retryAt)
        #expect(delivered.completedAt == retryAt && delivered.nextAttemptAt == nil)
        #expect(delivered.lastError == nil)
        let page = try fixture.store.notifications.deliveries(
            webhookID: hook.id,
            accountID: owner.id,
            after: newer,
            limit: 10
        )
        #expect(page?.count == 2 && page?.contains { $0.id == older } == true)
    }

    @Test func deletingAWebhookStopsItsPendingDeliveries() throws {
        let owner = try fixture.account("owner@example.com")
        let hook = try webhook(owner, "https://hooks.example.com/")
        try fixture.store.notifications.enqueue(alert(), accountID: owner.id, at: now)
        let queue = fixture.store.webhookDeliveries(workerID: "worker")
        let inFlight = try #require(try queue.take(at: now, lease: .seconds(60)))
        try fixture.store.notifications.enqueue(alert(), accountID: owner.id, at: now)
        let stranger = try fixture.account("stranger@example.com")
        #expect(try !fixture.store.webhooks.delete(id: hook.id, accountID: stranger.id))
        #expect(try fixture.store.webhooks.delete(id: hook.id, accountID: owner.id))
        #expect(try queue.take(at: now.addingTimeInterval(3600), lease: .seconds(60)) == nil)
        // The attempt that was running when the webhook went is not recorded anywhere.
        #expect(try !queue.record(inFlight, result: .init(disposition: .delivered, httpStatus: 200), at: now))
        #expect(try fixture.count("notification_deliveries") == 0)
    }

    @Test func closingTheAccountDeletesItsWebhooks() throws {
        let owner = try fixture.account("owner@example.com")
        try webhook(owner, "https://hooks.example.com/")
        try fixture.store.notifications.enqueue(alert(), accountID: owner.id, at: now)
        _ = try fixture.store.accounts.close(accountID: owner.id, at: now)
        #expect(try fixture.count("webhooks") == 0)
        #expect(try fixture.count("notification_deliveries") == 0)
    }

    @Test func retentionKeepsTheNewestFinishedDeliveriesPerWebhookForThirtyDays() throws {
        let owner = try fixture.account("owner@example.com")
        let busy = try webhook(owner, "https://hooks.example.com/busy")
        let quiet = try webhook(owner, "https://hooks.example.com/quiet")
        try fixture.pool.withConnection { connection in
            // 205 finished deliveries for one webhook, two for the other, one pending for each.
            for (hook, count) in [(busy, 205), (quiet, 2)] {
                _ = try connection.execute(
                    """
                    INSERT INTO notification_deliveries (account_id, channel, webhook_id, event_id, event_type, body,
                        status, attempts, created_at, completed_at)
                    SELECT \(owner.id), 'webhook', \(hook.id), gen_random_uuid(), 'test', '{}', 'delivered', 1,
                           \(now) + make_interval(secs => n), \(now) + make_interval(secs => n)
                    FROM generate_series(1, \(count)) n
                    """
                )
            }
        }
        try fixture.store.notifications.enqueue(alert(), accountID: owner.id, at: now)
        try fixture.store.retention.purge(at: now.addingTimeInterval(3600))
        #expect(
            try fixture.count("notification_deliveries WHERE webhook_id = '\(busy.id)' AND status <> 'pending'") == 200
        )
        #expect(try fixture.count("notification_deliveries WHERE status = 'pending'") == 2)
        // The oldest five went.
        let log = try #require(
            try fixture.store.notifications.deliveries(webhookID: busy.id, accountID: owner.id, after: nil, limit: 300)
        )
        #expect(log.filter { $0.status == .delivered }.map(\.createdAt).min() == now.addingTimeInterval(6))

        try fixture.store.retention.purge(at: now.addingTimeInterval(31 * 86_400))
        #expect(try fixture.count("notification_deliveries WHERE status <> 'pending'") == 0)
        #expect(try fixture.count("notification_deliveries WHERE status = 'pending'") == 2)
    }
}

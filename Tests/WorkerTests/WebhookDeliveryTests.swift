import ACME
import Crypto
import DNS
import Foundation
import HTTPCore
import Logging
import Store
import TestSupport
import Testing
import WebClient
import Worker

/// Webhook deliveries end to end: the outbox in a throwaway PostgreSQL, the worker's deliverer with its own HTTP
/// client, a receiver on a loopback port (our own HTTP server), real DNS for the rebinding case, and a clock the
/// test moves instead of waiting.
@Suite struct WebhookDeliveryTests {
    let url: String
    let store: DataStore
    let keyring: Keyring
    let account: AccountRecord
    let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))

    init() throws {
        url = try PostgresTestCluster.shared.makeDatabase()
        store = DataStore(connectionString: url, maxConnections: 4)
        keyring = try Keyring(current: try MasterKey.generate())
        account = try store.accounts.create(
            email: "hooks@example.com",
            passwordHash: String(repeating: "h", count: 40),
            at: clock.now
        )
    }

    func webhook(_ url: String) throws -> (webhook: WebhookRecord, secret: String) {
        let secret = try SecureRandom.token(prefix: "whsec_", byteCount: 32)
        let webhook = try store.webhooks.create(
            accountID: account.id,
            url: url,
            description: nil,
            secret: secret,
            keyring: keyring,
            limit: 10,
            at: clock.now
        )
        return (webhook, secret)
    }

    func deliverer(
        insecure: Bool = true,
        private allowsPrivate: Bool = true,
        resolver: HostResolver = .system,
        workerID: String = "worker-a"
    ) throws -> WebhookDeliverer {
        let settings = WebhookDeliverer.Settings(allowsInsecureHTTP: insecure, allowsPrivateAddresses: allowsPrivate)
        let logger = Logger(label: "webhook-test", level: .critical)
        return WebhookDeliverer(
            store: store,
            keyring: keyring,
            client: try WebhookDeliverer.makeClient(settings: settings, resolver: resolver, logger: logger),
            settings: settings,
            workerID: workerID,
            clock: { [clock] in clock.now },
            logger: logger
        )
    }

    func alert() -> NotificationEvent {
        NotificationEvent(
            type: .alertOpened,
            occurredAt: clock.now,
            domain: "example.com",
            condition: "certificate-expiring",
            severity: .warning,
            message: "The certificate of mta-sts.example.com expires in 9 days.",
            fix: "Check that mta-sts.example.com still points at the platform."
        )
    }

    /// The delivery as the tenant's log shows it.
    func delivery(_ id: UUID, of webhook: WebhookRecord) throws -> NotificationDeliveryRecord {
        let log = try store.notifications.deliveries(
            webhookID: webhook.id,
            accountID: account.id,
            after: nil,
            limit: 100
        )
        return try #require(log?.first { $0.id == id })
    }

    func header(_ name: String, of request: HTTPRequest) throws -> String? {
        request.head.fields[try #require(HTTPField.Name(name))]
    }

    @Test func aTestEventArrivesWithASignatureTheReceiverCanVerify() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let (hook, secret) = try webhook("http://127.0.0.1:\(receiver.port)/hooks/mtasts?source=test")
        let queued = try #require(
            try store.notifications.enqueueTest(webhookID: hook.id, accountID: account.id, at: clock.now)
        )
        let worker = try deliverer()
        clock.advance(by: 2)
        #expect(try worker.deliverNext())
        #expect(try !worker.deliverNext(), "nothing else is due")

        let request = try #require(receiver.requests.first)
        #expect(receiver.requests.count == 1)
        #expect(request.head.method == .post)
        #expect(request.head.target == "/hooks/mtasts?source=test")
        #expect(try header("Content-Type", of: request) == "application/json")
        #expect(try header("User-Agent", of: request) == "mtasts-webhooks")
        #expect(try header("X-MTASTS-Event", of: request) == "test")
        #expect(try header("X-MTASTS-Delivery", of: request) == queued.id.uuidString.lowercased())
        let timestamp = try #require(try header("X-MTASTS-Timestamp", of: request))
        #expect(timestamp == String(Int(clock.now.timeIntervalSince1970)))
        // The receiver's check: HMAC-SHA256 under the secret over "<timestamp>." + body, compared as hex.
        let expected =
            "sha256="
            + Hex.encode(try HMAC.sha256(key: Array(secret.utf8), data: Array("\(timestamp).".utf8) + request.body))
        #expect(try header("X-MTASTS-Signature", of: request) == expected)
        let forged =
            "sha256="
            + Hex.encode(
                try HMAC.sha256(key: Array("whsec_other".utf8), data: Array("\(timestamp).".utf8) + request.body)
            )
        #expect(try header("X-MTASTS-Signature", of: request) != forged)

        let event = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String])
        #expect(event["type"] == "test" && event["severity"] == "info" && event["condition"] == "test")
        #expect(event["id"] == queued.eventID.uuidString.lowercased() && event["domain"] == nil)
        #expect(String(decoding: request.body, as: UTF8.self) == queued.body)

        let log = try delivery(queued.id, of: hook)
        #expect(log.status == .delivered && log.attempts == 1 && log.lastStatus == 204 && log.lastError == nil)
        #expect(log.firstAttemptAt == clock.now && log.completedAt == clock.now)
    }

    @Test func anAlertGoesToEveryWebhookOfTheAccount() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let (first, _) = try webhook("http://127.0.0.1:\(receiver.port)/a")
        let (second, _) = try webhook("http://127.0.0.1:\(receiver.port)/b")
        let event = alert()
        let ids = try store.notifications.enqueue(event, accountID: account.id, at: clock.now)
        let worker = try deliverer()
        while try worker.deliverNext() {}
        #expect(Set(receiver.requests.map { String($0.head.path) }) == ["/a", "/b"])
        for request in receiver.requests {
            #expect(try header("X-MTASTS-Event", of: request) == "alert.opened")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String])
            #expect(body["id"] == event.id.uuidString.lowercased() && body["domain"] == "example.com")
            #expect(body["condition"] == "certificate-expiring" && body["severity"] == "warning")
            #expect(body["occurred_at"] == event.occurredAt.formatted(.iso8601))
        }
        let deliveryHeaders = try receiver.requests.map { try header("X-MTASTS-Delivery", of: $0) }
        #expect(Set(deliveryHeaders) == Set(ids.map { $0.uuidString.lowercased() }))
        for hook in [first, second] {
            let log = try store.notifications.deliveries(
                webhookID: hook.id,
                accountID: account.id,
                after: nil,
                limit: 9
            )
            #expect(log?.map(\.status) == [.delivered])
        }
    }

    @Test func aFailingReceiverIsRetriedWithBackoffAndMarkedFailedADayAfterTheFirstAttempt() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.answer(.internalServerError)
        let (hook, _) = try webhook("http://127.0.0.1:\(receiver.port)/")
        let id = try #require(try store.notifications.enqueue(alert(), accountID: account.id, at: clock.now).first)
        let worker = try deliverer()
        let first = clock.now
        var attempts = 0
        var record = try delivery(id, of: hook)
        while record.status == .pending, attempts < 60 {
            #expect(try worker.deliverNext())
            attempts += 1
            record = try delivery(id, of: hook)
            #expect(record.attempts == attempts && receiver.requests.count == attempts)
            #expect(record.lastStatus == 500 && record.lastError == "the receiver answered 500")
            guard let next = record.nextAttemptAt else { break }
            let delay = next.timeIntervalSince(clock.now)
            let planned = min(3600, 30 * pow(2, Double(attempts - 1)))
            #expect(delay >= planned * 0.9 - 0.001 && delay <= planned * 1.1 + 0.001, "attempt \(attempts): \(delay)")
            // Not a second early.
            clock.set(next.addingTimeInterval(-1))
            #expect(try !worker.deliverNext())
            clock.set(next)
        }
        #expect(record.status == .failed)
        #expect(record.firstAttemptAt == first && record.completedAt == clock.now && record.nextAttemptAt == nil)
        let lastAttempt = try #require(record.lastAttemptAt)
        // Retried for the whole day and no longer: the next attempt would have fallen after it.
        #expect(lastAttempt.timeIntervalSince(first) <= 86_400)
        #expect(lastAttempt.timeIntervalSince(first) >= 86_400 - 3600 * 1.1)
        #expect((25...40).contains(attempts), "\(attempts) attempts")
        // Every attempt is the same delivery, signed afresh.
        let deliveries = try Set(receiver.requests.map { try header("X-MTASTS-Delivery", of: $0) })
        #expect(deliveries == [id.uuidString.lowercased()])
        clock.advance(by: 7 * 86_400)
        #expect(try !worker.deliverNext())
        #expect(receiver.requests.count == attempts)
    }

    @Test func stateSurvivesARestartAndARecoveredReceiverGetsTheDelivery() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.answer(.serviceUnavailable)
        let (hook, _) = try webhook("http://127.0.0.1:\(receiver.port)/")
        let id = try #require(try store.notifications.enqueue(alert(), accountID: account.id, at: clock.now).first)
        #expect(try deliverer(workerID: "before-restart").deliverNext())
        let failed = try delivery(id, of: hook)
        #expect(failed.status == .pending && failed.attempts == 1 && failed.lastStatus == 503)

        // A new worker process: nothing but the database carries over.
        receiver.answer(.ok)
        let restarted = try deliverer(workerID: "after-restart")
        clock.set(try #require(failed.nextAttemptAt))
        #expect(try restarted.deliverNext())
        let delivered = try delivery(id, of: hook)
        #expect(delivered.status == .delivered && delivered.attempts == 2 && delivered.lastStatus == 200)
        #expect(delivered.firstAttemptAt == failed.firstAttemptAt)
        #expect(receiver.requests.count == 2)
    }

    @Test func aDeletedWebhookStopsItsPendingDeliveries() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        receiver.answer(.badGateway)
        let (hook, _) = try webhook("http://127.0.0.1:\(receiver.port)/")
        try store.notifications.enqueue(alert(), accountID: account.id, at: clock.now)
        let worker = try deliverer()
        #expect(try worker.deliverNext())
        #expect(try store.webhooks.delete(id: hook.id, accountID: account.id))
        clock.advance(by: 86_400)
        #expect(try !worker.deliverNext())
        #expect(receiver.requests.count == 1)
    }

    @Test func aHostNameResolvingToLoopbackIsRefusedAtDeliveryTime() throws {
        let dns = try DNSTestEnvironment.start(
            zones: ["rebind.test"],
            records: [DNSTestRecord(owner: "hook.rebind.test", type: .a, value: "127.0.0.1")]
        )
        defer { dns.stop() }
        let resolver = WorkerAssembly.resolver(using: dns.resolverClient())
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        // A name passes the API's checks (it is not an address); what it resolves to is checked when delivering.
        let (hook, _) = try webhook("http://hook.rebind.test:\(receiver.port)/hook")
        let id = try #require(try store.notifications.enqueue(alert(), accountID: account.id, at: clock.now).first)

        #expect(try deliverer(private: false, resolver: resolver).deliverNext())
        let refused = try delivery(id, of: hook)
        #expect(refused.status == .pending && refused.attempts == 1 && refused.lastStatus == nil)
        #expect(
            refused.lastError
                == "hook.rebind.test resolves to 127.0.0.1, which is a loopback address; only public addresses may be reached"
        )
        #expect(receiver.requests.isEmpty)

        // With MTASTS_WEBHOOK_ALLOW_PRIVATE the same name is delivered to: the refusal was the address, not DNS.
        clock.set(try #require(refused.nextAttemptAt))
        #expect(try deliverer(private: true, resolver: resolver).deliverNext())
        #expect(try delivery(id, of: hook).status == .delivered)
        #expect(receiver.requests.count == 1)
    }

    @Test func theAssembledWorkerDeliversOnItsOwnThreads() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let (hook, secret) = try webhook("http://127.0.0.1:\(receiver.port)/hook")
        let worker = try WorkerAssembly.make(
            settings: .init(
                // No domain is served, so the CA is never asked for anything.
                acme: ACMEClientConfiguration(directoryURL: "https://acme.invalid/directory"),
                caBundle: nil,
                caaIdentities: [],
                edgeHostname: "edge.platform.test",
                http01Port: 9,
                service: .init(scanInterval: .milliseconds(200)),
                webhooks: .init(allowsInsecureHTTP: true, allowsPrivateAddresses: true)
            ),
            connectionString: url,
            keyring: keyring,
            dns: DNSClient(resolvers: []),
            logger: Logger(label: "worker", level: .critical)
        )
        worker.start()
        defer { worker.stop() }
        let queued = try #require(
            try store.notifications.enqueueTest(webhookID: hook.id, accountID: account.id, at: Date())
        )
        try Poll.until(deadline: 10, "the worker delivers the test event") {
            try delivery(queued.id, of: hook).status == .delivered
        }
        let request = try #require(receiver.requests.first)
        #expect(receiver.requests.count == 1)
        let timestamp = try #require(try header("X-MTASTS-Timestamp", of: request))
        let signature = try HMAC.sha256(key: Array(secret.utf8), data: Array("\(timestamp).".utf8) + request.body)
        #expect(try header("X-MTASTS-Signature", of: request) == "sha256=" + Hex.encode(signature))
        #expect(abs(Double(timestamp).map { $0 - Date().timeIntervalSince1970 } ?? 999) < 60)
    }

    @Test func anHTTPWebhookIsNotDeliveredOnceInsecureURLsAreOff() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let (hook, _) = try webhook("http://127.0.0.1:\(receiver.port)/")
        let id = try #require(try store.notifications.enqueue(alert(), accountID: account.id, at: clock.now).first)
        #expect(try deliverer(insecure: false).deliverNext())
        let record = try delivery(id, of: hook)
        #expect(record.status == .pending && record.attempts == 1)
        #expect(record.lastError?.contains("is not https://") == true)
        #expect(receiver.requests.isEmpty)
    }
}

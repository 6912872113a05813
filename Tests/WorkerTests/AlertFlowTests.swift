import Checks
import Crypto
import DNS
import Foundation
import HTTPCore
import Logging
import MTASTS
import Store
import TestSupport
import Testing
import WebClient
import Worker

/// Alerts end to end: the worker's check of a served domain through real Knot behind real Unbound opens one alert
/// per condition, sends nothing while it persists and one "resolved" notice when it clears; the webhook receiver
/// sees exactly those, signed. And the MX-change plan, run on a clock the test moves.
@Suite struct AlertFlowTests {
    private static let logger = Logger(label: "alert-test", level: .critical)

    private func checker(_ store: DataStore, _ dns: DNSTestEnvironment) throws -> DomainChecker {
        DomainChecker(
            store: store,
            dns: dns.resolverClient(),
            engine: try CheckEngine(
                dns: dns.resolverClient(),
                settings: CheckSettings(
                    edgeHostname: "edge.alerts.test",
                    httpsPort: 9,
                    smtpPort: 9,
                    timeout: .seconds(3)
                ),
                logger: Self.logger
            ),
            settings: .init(zone: nil, edgeHostname: "edge.alerts.test"),
            logger: Self.logger
        )
    }

    /// - Parameter ahead: how far the deliverer's clock runs ahead of the real one (to match a moved clock).
    private func deliverer(_ store: DataStore, _ keyring: Keyring, ahead: TimeInterval = 0) throws -> WebhookDeliverer {
        let settings = WebhookDeliverer.Settings(allowsInsecureHTTP: true, allowsPrivateAddresses: true)
        return WebhookDeliverer(
            store: store,
            keyring: keyring,
            client: try WebhookDeliverer.makeClient(settings: settings, resolver: .system, logger: Self.logger),
            settings: settings,
            workerID: "alert-test",
            clock: { Date().addingTimeInterval(ahead) },
            logger: Self.logger
        )
    }

    /// The events the receiver got, as (type, condition) pairs, after delivering everything due.
    private func delivered(
        _ deliverer: WebhookDeliverer,
        _ receiver: WebhookReceiver,
        secret: String
    ) throws -> [(type: String, condition: String)] {
        while try deliverer.deliverNext() {}
        return try receiver.requests.map { request in
            let timestamp = try #require(request.head.fields[HTTPField.Name("X-MTASTS-Timestamp")!])
            let signature = try #require(request.head.fields[HTTPField.Name("X-MTASTS-Signature")!])
            let expected = try HMAC.sha256(key: Array(secret.utf8), data: Array((timestamp + ".").utf8) + request.body)
            #expect(signature == "sha256=" + Hex.encode(expected))
            let event = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            return (event["type"] as? String ?? "", event["condition"] as? String ?? "")
        }
    }

    @Test func eachConditionAlertsOnceAndOnceMoreWhenItClears() throws {
        let name = "shop.alerts.test"
        let dns = try DNSTestEnvironment.start(
            zones: ["alerts.test"],
            records: [DNSTestRecord(owner: name, type: .mx, value: "10 mx.\(name).")]
        )
        defer { dns.stop() }
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try ServedDomainFixtures(url: url, directory: try TemporaryDirectory(prefix: "alerts"))
        let store = fixtures.store
        let (domainID, policyID) = try fixtures.addDomain(
            name,
            policy: try Policy(parsing: ServedDomainFixtures.policy(mode: "enforce", mx: "mx.\(name)")),
            certificate: false
        )
        let domain = try #require(try store.domains.find(id: domainID))
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let secret = "whsec_" + String(repeating: "k", count: 43)
        _ = try store.webhooks.create(
            accountID: domain.accountID,
            url: "http://127.0.0.1:\(receiver.port)/hook",
            description: nil,
            secret: secret,
            keyring: fixtures.keyring,
            limit: 10,
            at: Date()
        )
        let checker = try checker(store, dns)
        let deliverer = try deliverer(store, fixtures.keyring)

        // Before the domain was ever live (no check without errors) nothing is tracked or sent.
        #expect(checker.handle(domainID: domainID) == .done)
        #expect(try store.alerts.open(domainID: domainID).isEmpty)
        #expect(try delivered(deliverer, receiver, secret: secret).isEmpty)

        // Once live, the same errors become conditions: one alert each.
        try store.domainChecks.record(
            domainID: domainID,
            DomainCheckRecord(
                stsRecord: .current,
                publishedID: policyID.string,
                stsRecordDetail: "ok",
                tlsrptRecord: .found,
                tlsrptRecordDetail: "ok",
                policyFetch: .served,
                policyFetchDetail: "ok",
                checkedAt: Date(),
                nextCheckAt: Date()
            ),
            reportJSON: "{}"
        )
        #expect(checker.handle(domainID: domainID) == .done)
        let open = try store.alerts.open(domainID: domainID).map(\.condition.code)
        #expect(open.contains("sts-record-missing") && open.contains("policy-fetch-failed"))
        #expect(open.contains("mx-unreachable"))
        #expect(!open.contains("tlsrpt-missing"), "a warning is not an alert")
        let first = try delivered(deliverer, receiver, secret: secret)
        #expect(first.count == open.count && first.allSatisfy { $0.type == "alert.opened" })
        #expect(Set(first.map(\.condition)) == Set(open))

        // Persisting: nothing more.
        #expect(checker.handle(domainID: domainID) == .done)
        #expect(try delivered(deliverer, receiver, secret: secret).count == first.count)

        // The record is published: exactly one resolved notice, for that condition.
        try dns.set(zone: "alerts.test", owner: "_mta-sts.\(name)", type: .txt, value: "\"v=STSv1; id=\(policyID)\"")
        try Poll.until(deadline: 10, "sts-record-missing to clear") {
            #expect(checker.handle(domainID: domainID) == .done)
            return try !store.alerts.open(domainID: domainID).map(\.condition.code).contains("sts-record-missing")
        }
        let all = try delivered(deliverer, receiver, secret: secret)
        let resolved = all.dropFirst(first.count)
        #expect(resolved.map(\.type) == ["alert.resolved"] && resolved.map(\.condition) == ["sts-record-missing"])
    }

    @Test func anMXChangeRunsItsStepsOnTheClockAndTellsTheTenantWhenToAct() throws {
        let name = "moving.alerts.test"
        let dns = try DNSTestEnvironment.start(
            zones: ["alerts.test"],
            records: [DNSTestRecord(owner: name, type: .mx, value: "10 mx.old.alerts.test.")]
        )
        defer { dns.stop() }
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try ServedDomainFixtures(url: url, directory: try TemporaryDirectory(prefix: "mx-change"))
        let store = fixtures.store
        let (domainID, _) = try fixtures.addDomain(
            name,
            policy: try Policy(mode: .enforce, mx: [try MXPattern(parsing: "mx.old.alerts.test")], maxAge: 604_800),
            certificate: false
        )
        let domain = try #require(try store.domains.find(id: domainID))
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let secret = "whsec_" + String(repeating: "m", count: 43)
        _ = try store.webhooks.create(
            accountID: domain.accountID,
            url: "http://127.0.0.1:\(receiver.port)/hook",
            description: nil,
            secret: secret,
            keyring: fixtures.keyring,
            limit: 10,
            at: Date()
        )
        // The plan's events are due at the moved clock's times, up to eight days ahead.
        let deliverer = try deliverer(store, fixtures.keyring, ahead: 8 * 86_400)
        let planner = MXChangePlanner(store: store, dns: dns.resolverClient(), watchInterval: 300, logger: Self.logger)
        let start = Date()
        let (plan, lowered) = try store.mxChanges.start(
            domainID: domainID,
            add: [try MXPattern(parsing: "*.new.alerts.test")],
            remove: [try MXPattern(parsing: "mx.old.alerts.test")],
            temporaryMaxAge: 86_400,
            at: start
        )
        #expect(lowered.mx == ["mx.old.alerts.test", "*.new.alerts.test"] && lowered.maxAge == 86_400)
        // The week-long enforce policy may be cached for a week: not ready before, ready after.
        #expect(plan.safeAt.timeIntervalSince(start) >= 604_800 - 1)
        #expect(planner.handle(domainID: domainID, now: start.addingTimeInterval(3 * 86_400)) == .done)
        #expect(try store.mxChanges.latest(domainID: domainID)?.state == .waiting)
        #expect(try delivered(deliverer, receiver, secret: secret).isEmpty)
        let safe = plan.safeAt.addingTimeInterval(1)
        #expect(planner.handle(domainID: domainID, now: safe) == .done)
        #expect(try store.mxChanges.latest(domainID: domainID)?.state == .ready)
        #expect(try delivered(deliverer, receiver, secret: secret).map(\.type) == ["mx_change.ready"])

        // Still on the old provider: the plan watches and waits.
        #expect(planner.handle(domainID: domainID, now: safe.addingTimeInterval(300)) == .done)
        let watching = try #require(try store.mxChanges.latest(domainID: domainID))
        #expect(watching.state == .ready && watching.observedMX == ["mx.old.alerts.test"])

        // The tenant switches: the old pattern goes, max_age comes back, the tenant is told.
        try dns.replace(zone: "alerts.test", owner: name, type: .mx, values: ["10 mx1.new.alerts.test."])
        try Poll.until(deadline: 10, "the plan to see the new MX") {
            #expect(planner.handle(domainID: domainID, now: safe.addingTimeInterval(600)) == .done)
            return try store.mxChanges.latest(domainID: domainID)?.state == .completed
        }
        let final = try #require(try store.policies.current(domainID: domainID))
        #expect(final.mx == ["*.new.alerts.test"] && final.maxAge == 604_800 && final.mode == .enforce)
        #expect(
            try delivered(deliverer, receiver, secret: secret).map(\.type) == [
                "mx_change.ready", "mx_change.completed",
            ]
        )

        // A plan whose domain is offboarded meanwhile is cancelled, not watched forever.
        _ = try store.mxChanges.start(
            domainID: domainID,
            add: [try MXPattern(parsing: "mx.third.alerts.test")],
            remove: [],
            temporaryMaxAge: 3600,
            at: Date()
        )
        _ = try store.domains.offboard(domainID: domainID, at: Date())
        #expect(planner.handle(domainID: domainID, now: Date().addingTimeInterval(30 * 86_400)) == .done)
        #expect(try store.mxChanges.latest(domainID: domainID)?.state == .cancelled)
    }
}
